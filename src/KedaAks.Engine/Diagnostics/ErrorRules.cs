namespace KedaAks.Engine.Diagnostics
{
    /// <summary>
    /// The rules <see cref="ErrorResolver"/> applies, in order; the first that matches names the cause. Each aims at
    /// the general form of a message (KEDA 1.x to 2.20, kubectl, the API server, the Azure SDK's credential chain,
    /// Entra), wherever it appears in a line: after a log or event prefix, truncated, escaped or wrapped. The text
    /// they see has its runs of white space collapsed to one space.
    /// </summary>
    internal static class ErrorRules
    {
        private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;

        /// <summary>Entra's error number, also when a report lost the leading "AAD".</summary>
        internal static readonly Regex Aadsts = new(@"(?<![A-Z])(?:AAD)?STS(\d{5,8})(?!\d)", Options);

        private static readonly Regex ErrorCodes = new(@"""?error_codes""?\s*:\s*\[\s*\**\s*(\d{5,8})", Options);

        internal static readonly Regex PrometheusStatus = new(@"prometheus query api returned error\.?\s*status:?\s*(\d{3})", Options);

        // Entra and the Azure SDK's credentials.
        private static readonly Regex FederationWording = new(
            @"No matching federated identity record found(?: for presented assertion (issuer|audience|subject)\b)?", Options);

        private static readonly Regex AssertionExpired = new(@"Client assertion is not within its valid time range", Options);

        private static readonly Regex IdentityNotFound = new(@"Application with identifier '[^']*' was not found in the directory", Options);

        private static readonly Regex NoFederatedCredentials = new(@"has no configured federated identity credentials", Options);

        private static readonly Regex AuthorityHost = new(
            @"login\.(microsoftonline|chinacloudapi|partner\.microsoftonline)\.(com|us|cn)|/oauth2/v2\.0/token|openid-configuration|AZURE_AUTHORITY_HOST",
            Options);

        private static readonly Regex NetworkFailure = new(
            @"dial tcp|no such host|i/o timeout|connection refused|actively refused|connection reset|TLS handshake timeout|context deadline exceeded"
            + @"|network is unreachable|no route to host|Client\.Timeout|request canceled|Name or service not known|No such host is known"
            + @"|SSL connection could not be established",
            Options);

        private static readonly Regex EntraRefusal = new(
            @"WorkloadIdentityCredential authentication failed|ClientAssertionCredential authentication failed|invalid_client|unauthorized_client", Options);

        /// <summary>A credential of the chain that found nothing to use: no projected token, no client id, an empty chain.</summary>
        private static readonly Regex NoWorkloadIdentity = new(
            @"no (token file|client ID|tenant ID) specified|sources must contain at least one TokenCredential"
            + @"|error starting azure workload-identity token provider|AZURE_FEDERATED_TOKEN_FILE|does not contain an Authorization Header"
            + @"|no Authorization header|(DefaultAzureCredential|ChainedTokenCredential): failed to acquire a token|ManagedIdentityCredential"
            + @"|error reading service account token|\bopen ?: no such file|azure-identity-token: no such file"
            + @"|missing environment variable ""?AZURE_",
            Options);

        private static readonly Regex ChainRefusal = new(@"\b\w+Credential authentication failed|RESPONSE 40[013]\b", Options);

        // Prometheus.
        private static readonly Regex MultipleElements = new(@"prometheus query .* returned multiple elements", Options);

        private static readonly Regex EmptyResult = new(
            @"target may be lost|the result is empty|the value list is empty|didn't return enough values|prometheus query .* returned empty", Options);

        private static readonly Regex EmptyVector = new(@"resultType""?\s*:\s*""?(vector|matrix)"".*\bresult""?\s*:\s*\[\s*\]", Options);

        private static readonly Regex NotANumber = new(@"prom(e)?theus query returns (NaN|[+-]?Inf)|Error converting prometheus value", Options);

        private static readonly Regex PrometheusContext = new(
            @"prometheus query|/api/v1/query|prometheus_scaler|prometheusScaler|prometheus server|serverAddress", Options);

        private static readonly Regex UpstreamGone = new(@"no healthy upstream|upstream connect error|Bad Gateway|Service Unavailable|Gateway Time-?out", Options);

        private static readonly Regex PrometheusAnswered = new(@"""?errorType""?\s*:\s*""?(timeout|canceled|execution|bad_data|internal)", Options);

        private static readonly Regex PrometheusQueryFailed = new(@"error executing prometheus query|prometheus.*bad_data", Options);

        // Trigger metadata and authentication.
        private static readonly Regex MetadataNotString = new(
            @"triggers(\[\d+\])?\.metadata\.[^:]+: Invalid value: ""(integer|number|boolean)""|metadata\.[A-Za-z]+ in body must be of type string"
            + @"|cannot unmarshal (number|bool) into Go struct field .*[Mm]etadata of type string",
            Options);

        private static readonly Regex PodIdentityProvider = new(
            @"podIdentity\.provider: Unsupported value|pod identity provider .* not supported|PodIdentityProvider .* not supported|aad-pod-identity"
            + @"|provider ""?azure""? (is )?(deprecated|removed|not supported)|Azure AD Pod Identity has been archived",
            Options);

        private static readonly Regex TriggerAuthentication = new(
            @"identityId of PodIdentity should not be empty|identityTenantI[dD] of PodIdentity|required when (bearer|basic|tls|oauth|custom|apiKey) auth"
            + @"|pod identity cannot be enabled with other auth types|error getting (cluster)?triggerauthentication"
            + @"|TriggerAuthentication\.keda\.sh ""[^""]+"" not found|no triggerauthentication found",
            Options);

        /// <summary>Metadata that is missing or does not parse, in every KEDA version's wording (typed config since 2.16, strconv before).</summary>
        private static readonly Regex Metadata = new(
            @"error parsing [\w .-]{1,40}? metadata|missing required parameter|unable to set param|unable to unmarshal to field type"
            + @"|error parsing \w*(threshold|timeout|ignoreNullValues|unsafeSsl|queryParameters|customHeaders)\b"
            + @"|no (serverAddress|query|threshold|metricName) given|incorrect value for \w+ given|strconv\.(ParseFloat|ParseInt|ParseUint|ParseBool|Atoi)"
            + @"|time: invalid duration|invalid cloud environment|azureManagedPrometheusResourceURL must be provided|error getting scaler metric type",
            Options);

        // The HPA, the CRDs, the metrics API and the admission webhook.
        private static readonly Regex HpaTarget = new(
            @"(averageValue|target\.value|\.value|averageUtilization)[^:]*: Invalid value: ""?-?0(\.0+)?""?: must be (positive|greater than 0)"
            + @"|external\.target\.(averageValue|value): Invalid value",
            Options);

        private static readonly Regex HpaOwnership = new(
            @"already managed by the hpa\b|existing hpa '[^']*' for workload .* must be specified by name|to enable ownership transfer", Options);

        private static readonly Regex CrdOutdated = new(
            @"unknown field ""?(spec|status)\.|strict decoding error: unknown field|unknown field ""[^""]*"" in (sh|io)\.keda\."
            + @"|ValidationError\((ScaledObject|ScaledJob|TriggerAuthentication|ClusterTriggerAuthentication)[^)]*\): unknown field"
            + @"|KubeAPIWarningLogger.*unknown field|no matches for kind ""(ScaledObject|ScaledJob|TriggerAuthentication|ClusterTriggerAuthentication)"""
            + @"|could not find the requested resource \(post (scaledobjects|scaledjobs|triggerauthentications|clustertriggerauthentications)"
            + @"|failed to list \*v1alpha1\.|CustomResourceDefinition ""[\w.]*keda\.sh"" is invalid|\bstatus\.\w+ in body is required"
            + @"|doesn't have a resource type ""(scaledobjects?|scaledjobs?|(cluster)?triggerauthentications?)""",
            Options);

        private static readonly Regex KedaKind = new(@"Scaled(Object|Job)|TriggerAuthentication|keda\.sh", Options);

        private static readonly Regex MetricsApi = new(
            @"unable to get external metric|FailedGetExternalMetric|external\.metrics\.k8s\.io|the server is currently unable to handle the request \(get s\d+-"
            + @"|metrics API unavailable|unable to fetch metrics from external metrics API|no metrics returned from external metrics API",
            Options);

        /// <summary>The kube-aggregator's APIService availability messages (status of v1beta1.external.metrics.k8s.io).</summary>
        private static readonly Regex ApiServiceUnavailable = new(
            @"FailedDiscoveryCheck|(failing or missing|no) response from https?://|MissingEndpoints|ServiceNotFound", Options);

        private static readonly Regex OtherMetricsApi = new(@"(?<!external\.)metrics\.k8s\.io", Options);

        /// <summary>The webhook's denials (apis/keda/v1alpha1/*_webhook.go), with or without the API server's prefix.</summary>
        private static readonly Regex WebhookDenied = new(
            @"admission webhook .{0,120}?denied the request|-validation-webhook\b.*\b(error|fail)"
            + @"|is already managed by the ScaledObject|the HPA '[^']*' is already managed by|characters long; must be no more than \d+ characters"
            + @"|doesn't have the (cpu|memory) request defined|has only cpu/memory triggers AND minReplica is 0|for the fallback to be enabled"
            + @"|fallback it is not supported|(Min|Idle)ReplicaCount=\d+ must be less than|is defined multiple times in the Scaled(Object|Job)"
            + @"|no triggers defined in the Scaled(Object|Job)|ScalingModifiers\.Formula is mandatory|in ScalingModifiers|formula is given but target is empty",
            Options);

        private static readonly Regex PrometheusScalerError = new(@"(prometheusScaler|prometheus_scaler).*\berror\b", Options);

        internal sealed record Rule(DiagnosisCode Code, Func<string, bool> Matches);

        /// <summary>Specific causes first; mechanisms (webhook denial, a failed query) after the causes they can carry.</summary>
        internal static readonly Rule[] All =
        {
            new(DiagnosisCode.FederatedIssuerMismatch, t => Federation(t) == DiagnosisCode.FederatedIssuerMismatch),
            new(DiagnosisCode.FederatedAudienceMismatch, t => Federation(t) == DiagnosisCode.FederatedAudienceMismatch),
            new(DiagnosisCode.FederatedSubjectMismatch, t => Federation(t) == DiagnosisCode.FederatedSubjectMismatch),
            new(DiagnosisCode.FederatedCredentialMismatch, t => Federation(t) == DiagnosisCode.FederatedCredentialMismatch),
            new(DiagnosisCode.NoFederatedCredentials, t => EntraCodeIn(t, "70025") || NoFederatedCredentials.IsMatch(t)),
            new(DiagnosisCode.AssertionExpired, t => EntraCodeIn(t, "700024") || AssertionExpired.IsMatch(t)),
            new(DiagnosisCode.IdentityNotFound, t => EntraCodeIn(t, "700016") || IdentityNotFound.IsMatch(t)),
            new(DiagnosisCode.EntraUnreachable, t => AuthorityHost.IsMatch(t) && NetworkFailure.IsMatch(t)),
            new(DiagnosisCode.EntraAuthenticationFailed, t => Aadsts.IsMatch(t) || EntraRefusal.IsMatch(t)),
            new(DiagnosisCode.WorkloadIdentityNotInjected, t => NoWorkloadIdentity.IsMatch(t) || PrometheusStatusIs(t, 401)),
            new(DiagnosisCode.EntraAuthenticationFailed, t => ChainRefusal.IsMatch(t) && (AuthorityHost.IsMatch(t) || Has(t, "Credential"))),
            new(DiagnosisCode.MonitoringDataReaderMissing, t => PrometheusStatusIs(t, 403)
                || Has(t, "microsoft.monitor/accounts/data/metrics/read")
                || (Regex.IsMatch(t, @"\b403\b|Forbidden", Options) && Regex.IsMatch(t, @"prometheus\.monitor\.azure|does not have access to perform", Options))),
            new(DiagnosisCode.ScaleTargetHasHpa, t => HpaOwnership.IsMatch(t)),
            new(DiagnosisCode.PrometheusQueryMultipleElements, t => MultipleElements.IsMatch(t)),
            new(DiagnosisCode.PrometheusQueryEmpty, t => EmptyResult.IsMatch(t) || EmptyVector.IsMatch(t)),
            new(DiagnosisCode.PrometheusQueryNotANumber, t => NotANumber.IsMatch(t)),
            new(DiagnosisCode.TriggerMetadataNotString, t => MetadataNotString.IsMatch(t)),
            new(DiagnosisCode.PodIdentityProviderUnsupported, t => PodIdentityProvider.IsMatch(t)),
            new(DiagnosisCode.TriggerAuthenticationInvalid, t => TriggerAuthentication.IsMatch(t)),
            new(DiagnosisCode.PrometheusMetadataInvalid, t => Metadata.IsMatch(t)),
            new(DiagnosisCode.HpaTargetNotPositive, t => HpaTarget.IsMatch(t)
                || (Regex.IsMatch(t, @"HorizontalPodAutoscaler|hpa", Options) && Has(t, "must be positive"))),
            new(DiagnosisCode.KedaCrdOutdated, t => CrdOutdated.IsMatch(t) || (Has(t, "field not declared in schema") && KedaKind.IsMatch(t))),
            new(DiagnosisCode.PrometheusUnreachable, t => PrometheusUnreachable(t)),
            new(DiagnosisCode.MetricsApiUnavailable, t => MetricsApi.IsMatch(t) || (ApiServiceUnavailable.IsMatch(t) && !OtherMetricsApi.IsMatch(t))),
            new(DiagnosisCode.AdmissionWebhookDenied, t => WebhookDenied.IsMatch(t)),
            new(DiagnosisCode.PrometheusQueryFailed, t => PrometheusStatus.IsMatch(t) || PrometheusQueryFailed.IsMatch(t) || PrometheusScalerError.IsMatch(t)),
        };

        /// <summary>
        /// Which part of the assertion Entra found no federated credential for: the code decides when the text has one
        /// (700211 issuer, 700212 audience, 700213 and 7002138 subject, 70021 any), else Entra's wording does.
        /// </summary>
        internal static DiagnosisCode? Federation(string text)
        {
            string? code = EntraCodes(text).FirstOrDefault(c => c is "70021" or "700211" or "700212" or "700213" or "7002138");
            switch (code)
            {
                case "700211":
                    return DiagnosisCode.FederatedIssuerMismatch;
                case "700212":
                    return DiagnosisCode.FederatedAudienceMismatch;
                case "700213":
                case "7002138":
                    return DiagnosisCode.FederatedSubjectMismatch;
                case "70021":
                    return DiagnosisCode.FederatedCredentialMismatch;
            }

            Match wording = FederationWording.Match(text);
            return !wording.Success ? null : wording.Groups[1].Value.ToUpperInvariant() switch
            {
                "ISSUER" => DiagnosisCode.FederatedIssuerMismatch,
                "AUDIENCE" => DiagnosisCode.FederatedAudienceMismatch,
                "SUBJECT" => DiagnosisCode.FederatedSubjectMismatch,
                _ => DiagnosisCode.FederatedCredentialMismatch,
            };
        }

        /// <summary>Entra's error numbers in the text: AADSTSnnnn, then the response's error_codes.</summary>
        internal static string[] EntraCodes(string text) =>
            Aadsts.Matches(text).Concat(ErrorCodes.Matches(text)).Select(m => m.Groups[1].Value).ToArray();

        /// <summary>
        /// The query endpoint could not be reached: a network error on the way to it, or a gateway in front of it with
        /// no backend (502/503/504 not answered by Prometheus itself, which names an errorType).
        /// </summary>
        private static bool PrometheusUnreachable(string text)
        {
            if (PrometheusStatus.Match(text) is { Success: true } status)
            {
                return status.Groups[1].Value is "502" or "503" or "504" && !PrometheusAnswered.IsMatch(text);
            }

            return PrometheusContext.IsMatch(text) && (NetworkFailure.IsMatch(text) || UpstreamGone.IsMatch(text));
        }

        private static bool Has(string text, string part) => text.Contains(part, StringComparison.OrdinalIgnoreCase);

        private static bool EntraCodeIn(string text, params string[] codes) => EntraCodes(text).Any(c => codes.Contains(c, StringComparer.Ordinal));

        private static bool PrometheusStatusIs(string text, int status) =>
            PrometheusStatus.Match(text) is { Success: true } m && m.Groups[1].Value == status.ToString(CultureInfo.InvariantCulture);
    }
}
