using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace KedaAks.Engine.Diagnostics
{
    /// <summary>
    /// Names the cause of KEDA operator, metrics server, webhook, HPA event and Entra error text. Each rule aims
    /// at the general form of a message as KEDA 2.10 to 2.20 word it (with or without the response body, JSON or
    /// console log format, escaped or not), not at one sample; the first rule that matches decides.
    /// </summary>
    internal sealed class ErrorResolver : IDiagnostics
    {
        private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;

        private static readonly Regex Aadsts = new(@"AADSTS(\d{5,8})", Options);
        private static readonly Regex PrometheusStatus = new(@"prometheus query api returned error\.?\s*status:?\s*(\d{3})", Options);
        private static readonly Regex AnyStatus = new(@"(?:status(?: code)?[:=]\s*|StatusCode=)(\d{3})\b", Options);
        private static readonly Regex Guid = new(@"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", Options);

        private sealed record Rule(DiagnosisCode Code, Func<string, bool> Matches);

        /// <summary>Specific causes first; mechanisms (webhook denial, a failed query) after the causes they can carry.</summary>
        private static readonly Rule[] Rules =
        {
            new(DiagnosisCode.FederatedCredentialMismatch, t => AadstsIn(t, "70021", "700211", "700212", "700213", "7002138")
                || Has(t, "No matching federated identity record found")),
            new(DiagnosisCode.AssertionExpired, t => AadstsIn(t, "700024") || Has(t, "Client assertion is not within its valid time range")),
            new(DiagnosisCode.IdentityNotFound, t => AadstsIn(t, "700016") || Regex.IsMatch(t, @"Application with identifier '[^']*' was not found in the directory", Options)),
            new(DiagnosisCode.EntraUnreachable, t => Regex.IsMatch(t, @"login\.(microsoftonline|chinacloudapi|partner\.microsoftonline)\.(com|us|cn)|/oauth2/v2\.0/token|AZURE_AUTHORITY_HOST", Options)
                && Regex.IsMatch(t, @"dial tcp|no such host|i/o timeout|connection refused|connection reset|TLS handshake timeout|context deadline exceeded|network is unreachable|Client\.Timeout", Options)),
            new(DiagnosisCode.EntraAuthenticationFailed, t => Aadsts.IsMatch(t) || Regex.IsMatch(t, @"WorkloadIdentityCredential authentication failed|ClientAssertionCredential authentication failed|invalid_client|unauthorized_client", Options)),
            new(DiagnosisCode.WorkloadIdentityNotInjected, t => Regex.IsMatch(t,
                @"no (token file|client ID|tenant ID) specified|sources must contain at least one TokenCredential|error starting azure workload-identity token provider|AZURE_FEDERATED_TOKEN_FILE|does not contain an Authorization Header|no Authorization header|DefaultAzureCredential: failed to acquire a token|ManagedIdentityCredential", Options)
                || PrometheusStatusIs(t, 401)),
            new(DiagnosisCode.MonitoringDataReaderMissing, t => PrometheusStatusIs(t, 403)
                || Has(t, "microsoft.monitor/accounts/data/metrics/read")
                || (Regex.IsMatch(t, @"\b403\b|Forbidden", Options) && Regex.IsMatch(t, @"prometheus\.monitor\.azure|does not have access to perform", Options))),
            new(DiagnosisCode.PrometheusQueryMultipleElements, t => Regex.IsMatch(t, @"prometheus query .* returned multiple elements", Options | RegexOptions.Singleline)),
            new(DiagnosisCode.PrometheusQueryEmpty, t => Regex.IsMatch(t, @"target may be lost|the result is empty|the value list is empty|didn't return enough values", Options)),
            new(DiagnosisCode.PrometheusQueryNotANumber, t => Regex.IsMatch(t, @"prom(e)?theus query returns (NaN|[+-]?Inf)|Error converting prometheus value|strconv\.ParseFloat", Options)),
            new(DiagnosisCode.TriggerMetadataNotString, t => Regex.IsMatch(t, @"triggers(\[\d+\])?\.metadata\.[^:]+: Invalid value: ""(integer|number|boolean)""", Options)
                || Regex.IsMatch(t, @"metadata\.[A-Za-z]+ in body must be of type string", Options)
                || Regex.IsMatch(t, @"cannot unmarshal (number|bool) into Go struct field .*[Mm]etadata of type string", Options)),
            new(DiagnosisCode.PrometheusMetadataInvalid, t => Regex.IsMatch(t,
                @"error parsing prometheus metadata|missing required parameter ""?(serverAddress|query|threshold)|unable to set param|error parsing threshold|error parsing activationThreshold|invalid cloud environment|azureManagedPrometheusResourceURL must be provided|error getting scaler metric type", Options)),
            new(DiagnosisCode.PodIdentityProviderUnsupported, t => Regex.IsMatch(t, @"podIdentity\.provider: Unsupported value|pod identity provider .* not supported|PodIdentityProvider .* not supported|aad-pod-identity|provider ""?azure""? (is )?(deprecated|removed|not supported)", Options)),
            new(DiagnosisCode.TriggerAuthenticationInvalid, t => Regex.IsMatch(t,
                @"identityId of PodIdentity should not be empty|IdentityID of PodIdentity should not be empty|identityTenantI[dD] of PodIdentity|required when (bearer|basic|tls|oauth|custom|apiKey) auth|pod identity cannot be enabled with other auth types|error getting (cluster)?triggerauthentication|TriggerAuthentication\.keda\.sh ""[^""]+"" not found|no triggerauthentication found", Options)),
            new(DiagnosisCode.HpaTargetNotPositive, t => Regex.IsMatch(t, @"(averageValue|target\.value|\.value|averageUtilization)[^:]*: Invalid value: ""?-?0(\.0+)?""?: must be (positive|greater than 0)", Options)
                || (Regex.IsMatch(t, @"HorizontalPodAutoscaler|hpa", Options) && Has(t, "must be positive"))),
            new(DiagnosisCode.KedaCrdOutdated, t => Regex.IsMatch(t, @"unknown field ""?spec\.|strict decoding error: unknown field|no matches for kind ""(ScaledObject|ScaledJob|TriggerAuthentication|ClusterTriggerAuthentication)""|could not find the requested resource \(post (scaledobjects|triggerauthentications)|failed to list \*v1alpha1\.", Options)),
            new(DiagnosisCode.MetricsApiUnavailable, t => Regex.IsMatch(t,
                @"unable to get external metric|FailedGetExternalMetric|external\.metrics\.k8s\.io|the server is currently unable to handle the request \(get s\d+-|metrics API unavailable|unable to fetch metrics from external metrics API|no metrics returned from external metrics API", Options)),
            new(DiagnosisCode.AdmissionWebhookDenied, t => Regex.IsMatch(t, @"admission webhook ""[^""]+"" denied the request", Options)),
            new(DiagnosisCode.PrometheusQueryFailed, t => PrometheusStatus.IsMatch(t) || Regex.IsMatch(t, @"error executing prometheus query|prometheus.*(dial tcp|no such host|connection refused|i/o timeout|context deadline exceeded|bad_data)", Options)),
        };

        public Diagnosis Resolve(string text)
        {
            (string message, string? ns, string? name, DateTimeOffset? time) = Normalize(text ?? string.Empty);
            DiagnosisCode code = Rules.FirstOrDefault(r => r.Matches(message))?.Code ?? DiagnosisCode.Unknown;
            (string summary, string cause, string remedy) = Catalog.Describe(code);
            var diagnosis = new Diagnosis
            {
                Code = code,
                Summary = summary,
                Cause = cause,
                Remedy = remedy,
                Message = message,
                Namespace = ns,
                Name = name,
                Time = time,
                AadstsCode = Aadsts.Match(message) is { Success: true } a ? a.Groups[1].Value : null,
                StatusCode = Status(message),
                Query = Regex.Match(message, @"prometheus query (.+?) returned multiple elements", Options | RegexOptions.Singleline) is { Success: true } q ? q.Groups[1].Value : null,
            };
            ExtractAssertion(message, diagnosis);
            diagnosis.PrincipalId = First(message,
                @"object id '([0-9a-f-]{36})'", @"with object id ""?([0-9a-f-]{36})", @"Principal ([0-9a-f]{32}|[0-9a-f-]{36}) does not exist",
                @"Application with identifier '([^']+)'", @"client '([0-9a-f-]{36})'", @"principalId[""']?\s*[:=]\s*[""']?([0-9a-f-]{36})");
            diagnosis.Scope = First(message, @"over scope '([^']+)'", @"scope '(/subscriptions/[^']+)'", @"on scope '([^']+)'", @"(/subscriptions/[^\s'""]+/providers/microsoft\.monitor/accounts/[^\s'"".,]+)");
            return diagnosis;
        }

        private static void ExtractAssertion(string message, Diagnosis diagnosis)
        {
            diagnosis.Issuer = First(message, @"Assertion Issuer: '([^']*)'", @"presented assertion issuer '([^']*)'", @"assertion issuer: '([^']*)'");
            diagnosis.Subject = First(message, @"Assertion Subject: '([^']*)'", @"presented assertion subject '([^']*)'", @"assertion subject: '([^']*)'");
            diagnosis.Audience = First(message, @"Assertion Audience: '([^']*)'", @"presented assertion audience '([^']*)'", @"assertion audience: '([^']*)'");
        }

        private static int? Status(string message)
        {
            Match m = PrometheusStatus.Match(message);
            if (!m.Success)
            {
                m = AnyStatus.Match(message);
            }

            return m.Success ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;
        }

        private static string? First(string text, params string[] patterns)
        {
            foreach (string pattern in patterns)
            {
                Match m = Regex.Match(text, pattern, Options);
                if (m.Success && m.Groups[1].Value.Length > 0)
                {
                    return m.Groups[1].Value;
                }
            }

            return null;
        }

        private static bool Has(string text, string part) => text.Contains(part, StringComparison.OrdinalIgnoreCase);

        private static bool AadstsIn(string text, params string[] codes) =>
            Aadsts.Matches(text).Any(m => codes.Contains(m.Groups[1].Value, StringComparer.Ordinal));

        private static bool PrometheusStatusIs(string text, int status) =>
            PrometheusStatus.Match(text) is { Success: true } m && m.Groups[1].Value == status.ToString(CultureInfo.InvariantCulture);

        /// <summary>
        /// The error text out of a log line (KEDA's JSON or console format, zap's), JSON escapes undone, with the
        /// object it is about and the time when the line says.
        /// </summary>
        internal static (string Message, string? Namespace, string? Name, DateTimeOffset? Time) Normalize(string text)
        {
            string trimmed = text.Trim();
            string? ns = null;
            string? name = null;
            DateTimeOffset? time = null;
            JsonObject? fields = null;
            if (trimmed.StartsWith('{'))
            {
                fields = TryParse(trimmed);
            }
            else
            {
                // Console format: "<time>\t<LEVEL>\t<logger>\t<msg>\t{json fields}"
                int brace = trimmed.IndexOf('{');
                if (brace > 0 && trimmed.EndsWith('}') && TryParse(trimmed.Substring(brace)) is { } tail)
                {
                    fields = tail;
                    time = ParseTime(trimmed.Split(new[] { ' ', '\t' }, 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault());
                    string head = trimmed.Substring(0, brace).Trim();
                    fields["__head"] = head;
                }
                else
                {
                    time = ParseTime(trimmed.Split(new[] { ' ', '\t' }, 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault());
                }
            }

            string message = trimmed;
            if (fields is not null)
            {
                string? error = Str(fields["error"]);
                string? msg = Str(fields["msg"]) ?? Str(fields["message"]) ?? Str(fields["__head"]);
                message = string.Join(": ", new[] { msg, error }.Where(p => !string.IsNullOrEmpty(p)));
                if (message.Length == 0)
                {
                    message = trimmed;
                }

                ns = Str(fields["scaledObject.Namespace"]) ?? Str(fields["ScaledObject"]?["namespace"]) ?? Str(fields["namespace"]) ?? Str(fields["Namespace"]);
                name = Str(fields["scaledObject.Name"]) ?? Str(fields["ScaledObject"]?["name"]) ?? Str(fields["TriggerAuthentication"]?["name"]) ?? Str(fields["name"]) ?? Str(fields["Name"]);
                time ??= ParseTime(Str(fields["ts"]) ?? Str(fields["time"]) ?? Str(fields["timestamp"]) ?? fields["ts"]?.ToJsonString());
            }

            if (message.Contains("\\\"", StringComparison.Ordinal) || message.Contains("\\n", StringComparison.Ordinal))
            {
                message = message.Replace("\\\\", "\u0001", StringComparison.Ordinal).Replace("\\\"", "\"", StringComparison.Ordinal)
                    .Replace("\\n", "\n", StringComparison.Ordinal).Replace("\\t", "\t", StringComparison.Ordinal).Replace("\u0001", "\\", StringComparison.Ordinal);
            }

            if (ns is null && Regex.Match(message, @"(?:namespace|Namespace)[""']?\s*[:=]\s*[""']([a-z0-9-]+)") is { Success: true } n)
            {
                ns = n.Groups[1].Value;
            }

            return (message, ns, name, time);
        }

        private static JsonObject? TryParse(string json)
        {
            try
            {
                return JsonNode.Parse(json) as JsonObject;
            }
            catch (JsonException)
            {
                return null;
            }
        }

        private static DateTimeOffset? ParseTime(string? value)
        {
            if (value is null)
            {
                return null;
            }

            if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset parsed))
            {
                return parsed;
            }

            // zap's epoch seconds with a fraction, e.g. 1.6469873430729506e+09
            return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds > 1e9 && seconds < 1e11
                ? DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000))
                : null;
        }

        private static string? Str(JsonNode? node) => node is JsonValue value && value.TryGetValue(out string? text) ? text : null;
    }
}
