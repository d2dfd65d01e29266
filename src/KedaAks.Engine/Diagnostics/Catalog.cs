namespace KedaAks.Engine.Diagnostics
{
    /// <summary>What each diagnosis code means and how to fix it (the same text is in about_KedaAks).</summary>
    internal static class Catalog
    {
        /// <summary><paramref name="diagnosis"/> with its code's summary, cause and remedy: Resolve-KedaError's and each integration check's.</summary>
        public static Diagnosis Describe(Diagnosis diagnosis)
        {
            (diagnosis.Summary, diagnosis.Cause, diagnosis.Remedy) = Describe(diagnosis.Code);
            return diagnosis;
        }

        public static (string Summary, string Cause, string Remedy) Describe(DiagnosisCode code) => code switch
        {
            DiagnosisCode.FederatedCredentialMismatch => (
                "Entra found no federated credential matching KEDA's token.",
                "The issuer, subject or audience of the service-account token KEDA presented differs from every federated credential on the identity (AADSTS70021; "
                + "700211/700212/700213 name the part, see FederatedIssuerMismatch, FederatedAudienceMismatch, FederatedSubjectMismatch), or a new credential "
                + "has not propagated yet (up to about 10 minutes).",
                "Compare the assertion with the credential byte for byte: issuer = the cluster's oidcIssuerProfile.issuerURL including its trailing slash, subject = "
                + "system:serviceaccount:<KEDA namespace>:keda-operator (case-sensitive), audience = api://AzureADTokenExchange. Fix with New-KedaWorkloadIdentity "
                + "-ServiceAccountNamespace <ns>; if it was just created, Wait-KedaWorkloadIdentity proves when Entra accepts it."),
            DiagnosisCode.AssertionExpired => (
                "The service-account token KEDA presented had expired.",
                "AADSTS700024: the client assertion is outside its validity window. The projected token was not re-read after the kubelet rotated it, or the node clock is off.",
                "Restart the keda-operator pod so it re-reads the projected token, check node time sync, and upgrade KEDA (newer versions re-read the token file)."),
            DiagnosisCode.IdentityNotFound => (
                "Entra does not know the client id KEDA used.",
                "AADSTS700016: no application or managed identity with that client id exists in the tenant: a wrong client-id annotation or identityId, a deleted identity, or the wrong tenant.",
                "Set azure.workload.identity/client-id on KEDA's service account (New-KedaServiceAccount) and identityId on the TriggerAuthentication to the "
                + "identity's ClientId, and the tenant to its TenantId."),
            DiagnosisCode.EntraAuthenticationFailed => (
                "Entra refused KEDA's token request.",
                "The token endpoint answered with an error other than a federation mismatch, an expired assertion or an unknown identity.",
                "Read the AADSTS code in the message (https://login.microsoftonline.com/error?code=<code>) and fix the identity or credential it names."),
            DiagnosisCode.EntraUnreachable => (
                "KEDA could not reach the Entra token endpoint.",
                "A network error between the keda-operator pod and the authority host (DNS, egress firewall, proxy, timeout).",
                "Allow egress from the keda namespace to the authority host (login.microsoftonline.com or your cloud's) on 443, and check DNS from the operator pod."),
            DiagnosisCode.WorkloadIdentityNotInjected => (
                "KEDA's operator pod has no workload identity: no token was sent.",
                "The workload identity webhook did not mutate the keda-operator pod (workload identity not enabled on the cluster, the pod label "
                + "azure.workload.identity/use=\"true\" or the service account's client-id annotation missing), so AZURE_CLIENT_ID/AZURE_FEDERATED_TOKEN_FILE are "
                + "absent, the credential chain is empty and the query endpoint answers 401.",
                "Enable workload identity (Enable-KedaAksWorkloadIdentity), annotate the service account (New-KedaServiceAccount), install KEDA with "
                + "podIdentity.azureWorkload.enabled=true (Install-KedaHelm), then restart the keda-operator pod."),
            DiagnosisCode.MonitoringDataReaderMissing => (
                "The identity may not read metrics from the Azure Monitor workspace.",
                "The query endpoint answered 403: KEDA's identity lacks microsoft.monitor/accounts/data/metrics/read on the workspace (Monitoring Data Reader), or the "
                + "assignment has not taken effect yet.",
                "Grant-KedaMonitorWorkspaceAccess -WorkloadIdentity <identity> -MonitorWorkspace <workspace>, then allow a few minutes for the role to take effect."),
            DiagnosisCode.PrometheusQueryFailed => (
                "The Prometheus query failed.",
                "The query endpoint answered with an error status (bad PromQL, a wrong serverAddress path, throttling, a query timeout).",
                "Run the query with Test-KedaPrometheusQuery to see the server's answer; check serverAddress (no /api/v1/query suffix) and the PromQL."),
            DiagnosisCode.PrometheusQueryMultipleElements => (
                "The query returns several series; KEDA needs exactly one.",
                "KEDA's prometheus scaler refuses a vector with more than one element and does not aggregate.",
                "Aggregate the query, e.g. sum(rate(http_requests_total{deployment=\"web\"}[2m])), and check it with Test-KedaPrometheusQuery."),
            DiagnosisCode.PrometheusQueryEmpty => (
                "The query returned no value.",
                "The query matched no series (wrong labels, metric not scraped, time window too short); with ignoreNullValues=false KEDA reports the target as lost, otherwise it scales on 0.",
                "Fix the label selectors or wrap the query in sum(...) or (... or vector(0)); check with Test-KedaPrometheusQuery."),
            DiagnosisCode.PrometheusQueryNotANumber => (
                "The query returned NaN or infinity.",
                "A division by zero or an empty rate in the query produces NaN/Inf, which KEDA cannot scale on (ignoreNullValues=false) or treats as 0.",
                "Guard the query, e.g. (a / b) > 0 or clamp_max(...), or set ignoreNullValues=true."),
            DiagnosisCode.PrometheusMetadataInvalid => (
                "The prometheus trigger's metadata is invalid.",
                "A required key (serverAddress, query, threshold) is missing or a value does not parse (number, boolean, duration, key=value list), e.g. "
                + "strconv.ParseFloat on a threshold written with a unit (\"70000m\") in older KEDA; other scalers' metadata errors are the same kind.",
                "Rebuild the ScaledObject with New-KedaPrometheusScaler, which checks the metadata as KEDA does and names the bad value."),
            DiagnosisCode.TriggerAuthenticationInvalid => (
                "The TriggerAuthentication is invalid or missing.",
                "KEDA refused the TriggerAuthentication (empty identityId, a tenant without identityId, pod identity combined with authModes, missing auth parameters) "
                + "or the trigger's authenticationRef names one that does not exist in the ScaledObject's namespace.",
                "Rebuild it with New-KedaTriggerAuthentication in the ScaledObject's namespace, and reference it by that name."),
            DiagnosisCode.TriggerMetadataNotString => (
                "A trigger metadata value is not a string.",
                "KEDA's CRD types every trigger metadata value as a string; an unquoted YAML number or boolean is refused by the API server.",
                "Quote the value in YAML (threshold: \"100\"), or build the object with New-KedaPrometheusScaler and ConvertTo-KedaYaml, which quote every value."),
            DiagnosisCode.HpaTargetNotPositive => (
                "The HPA refused a target of 0.",
                "KEDA hands the HPA the threshold with three decimals; a missing, zero, negative or tiny (< 0.0005) threshold becomes 0 and the HPA requires a positive target.",
                "Use a threshold of at least 0.001, or scale the query up."),
            DiagnosisCode.PodIdentityProviderUnsupported => (
                "The pod identity provider is not supported by the installed KEDA.",
                "provider: azure (AAD Pod Identity) was removed in KEDA 2.15, and the CRD enum of some versions lacks values (2.13 has no none).",
                "Use provider azure-workload (New-KedaTriggerAuthentication), or install a KEDA whose CRDs accept the provider."),
            DiagnosisCode.KedaCrdOutdated => (
                "KEDA's CRDs do not match what is applied.",
                "The cluster's KEDA CustomResourceDefinitions are missing or older than the manifest or the operator (unknown field in sh.keda.v1alpha1.ScaledObject, "
                + "no matches for kind, a status field the CRD lacks), e.g. after an operator upgrade without a CRD upgrade or a CRD apply that failed; "
                + "or the manifest uses another KEDA version's schema, or puts a field in the wrong place (behavior belongs under "
                + "spec.advanced.horizontalPodAutoscalerConfig).",
                "Upgrade the CRDs with the chart of the running KEDA version (Install-KedaHelm; KEDA's chart keeps them in templates/, so helm upgrade updates "
                + "them, while helm never upgrades a chart's crds/ directory: apply those with kubectl apply --server-side), or fix the manifest's field."),
            DiagnosisCode.MetricsApiUnavailable => (
                "The HPA could not read KEDA's external metric.",
                "The external metrics API (v1beta1.external.metrics.k8s.io, served by keda-operator-metrics-apiserver) was unavailable to the API server, or the metric failed in KEDA.",
                "Check that keda-operator-metrics-apiserver is Running and the APIService is Available (kubectl get apiservice v1beta1.external.metrics.k8s.io); "
                + "network policies must let the API server reach it."),
            DiagnosisCode.AdmissionWebhookDenied => (
                "KEDA's admission webhook refused the object.",
                "The keda-admission-webhooks validation rejected the ScaledObject or TriggerAuthentication (for example minReplicaCount above maxReplicaCount, a name "
                + "too long for its HPA, a workload scaled twice, a cpu/memory trigger without requests, a fallback it does not allow, or an HPA in the "
                + "namespace whose target it cannot map).",
                "Read the webhook's reason in the message; New-KedaPrometheusScaler checks the same rules before anything is applied."),
            DiagnosisCode.ScaleTargetHasHpa => (
                "The workload already has an HPA that KEDA does not own.",
                "KEDA's webhook refuses a ScaledObject for a workload another HorizontalPodAutoscaler scales (\"is already managed by the hpa\"), or the "
                + "ownership-transfer annotation is set without naming that HPA in spec.advanced.horizontalPodAutoscalerConfig.name.",
                "Let KEDA take the HPA over: Deploy-KedaResource -TakeOverHpa sets the ScaledObject's annotation scaledobject.keda.sh/transfer-hpa-ownership: "
                + "\"true\" and spec.advanced.horizontalPodAutoscalerConfig.name to that HPA's name (KEDA refuses the annotation without the name); or delete the other "
                + "HPA first."),
            DiagnosisCode.FederatedIssuerMismatch => (
                "No federated credential has the issuer of KEDA's token.",
                "AADSTS700211: the issuer of the service-account token (the cluster's OIDC issuer) matches no federated credential on the identity: a missing "
                + "or extra trailing slash, another cluster's or a recreated cluster's issuer, or a credential that has not propagated yet.",
                "Set the credential's issuer to the cluster's oidcIssuerProfile.issuerURL byte for byte, trailing slash included "
                + "(New-KedaWorkloadIdentity takes it from the cluster); Wait-KedaWorkloadIdentity proves when Entra accepts it."),
            DiagnosisCode.FederatedAudienceMismatch => (
                "No federated credential has the audience of KEDA's token.",
                "AADSTS700212: the token's audience matches no federated credential on the identity; it must be api://AzureADTokenExchange on both sides.",
                "Set the credential's audience to api://AzureADTokenExchange (New-KedaWorkloadIdentity does) and do not override the token audience in KEDA."),
            DiagnosisCode.FederatedSubjectMismatch => (
                "No federated credential has the subject of KEDA's token.",
                "AADSTS700213 (7002138: it matches only ignoring case): the subject system:serviceaccount:<namespace>:<name> of KEDA's token matches no "
                + "federated credential: a credential made for the application's service account instead of keda-operator, another namespace, a "
                + "difference in case, or a credential that has not propagated yet.",
                "Create the credential for KEDA's operator: New-KedaWorkloadIdentity -ServiceAccountNamespace <KEDA namespace> (subject "
                + "system:serviceaccount:<ns>:keda-operator, case-sensitive); Wait-KedaWorkloadIdentity proves when Entra accepts it."),
            DiagnosisCode.NoFederatedCredentials => (
                "The identity has no federated credential at all.",
                "AADSTS70025: the application or managed identity KEDA used has no federated identity credential, or the first one has not propagated yet.",
                "New-KedaWorkloadIdentity creates the credential for KEDA's service account; check that the client id KEDA uses is that identity's."),
            DiagnosisCode.PrometheusUnreachable => (
                "The Prometheus query endpoint could not be reached.",
                "A network error between the keda-operator pod and serverAddress (connection refused, DNS, timeout, TLS), or a proxy in front of it with no "
                + "healthy backend (502/503/504): nothing is wrong with the query itself.",
                "Check serverAddress (host, port, scheme) and that the Prometheus service has ready endpoints; allow egress from the keda namespace to it "
                + "(network policies, firewall); Test-KedaPrometheusQuery shows the answer."),
            _ => (
                "No known cause.",
                "The text matches none of the errors KedaAks knows.",
                "Run Test-KedaIntegration for the whole setup, and read the operator log around this line (Get-KedaOperatorLog)."),
        };
    }
}
