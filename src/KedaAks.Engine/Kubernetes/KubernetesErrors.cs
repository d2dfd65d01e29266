using System.Net.Http;

namespace KedaAks.Engine.Kubernetes
{
    /// <summary>Kubernetes Status bodies as KedaAks errors: the Status reason picks ErrorId and category; the API server's message is kept.</summary>
    internal static class KubernetesErrors
    {
        public static KedaAksException FromResponse(k8s.Autorest.HttpOperationException exception, string target, string action)
        {
            JsonNode? status = null;
            try
            {
                status = string.IsNullOrEmpty(exception.Response?.Content) ? null : JsonNode.Parse(exception.Response.Content);
            }
            catch (System.Text.Json.JsonException)
            {
            }

            int code = (int)(exception.Response?.StatusCode ?? 0);
            if (WebhookDenial(status?["message"]?.GetValue<string>(), target, action) is { } denied)
            {
                return denied;
            }

            string reason = status?["reason"]?.GetValue<string>() ?? code.ToString(System.Globalization.CultureInfo.InvariantCulture);
            string? body = exception.Response?.Content;
            string message = status?["message"]?.GetValue<string>()
                ?? (body is not null && body.TrimStart().StartsWith('<')
                    ? $"HTTP {code}, and the answer is an HTML page ({HtmlTitle(body)}): a proxy or gateway answered, not the API server"
                    : exception.Message);
            (string id, KedaErrorCategory category, string fix) = (reason, code) switch
            {
                ("NotFound", _) => ("NotFound", KedaErrorCategory.ObjectNotFound, "Check the namespace and name."),
                ("AlreadyExists", _) => ("AlreadyExists", KedaErrorCategory.ResourceExists, "Use Deploy-KedaResource, which applies (creates or updates)."),
                ("Conflict", _) when message.StartsWith("Apply failed", StringComparison.Ordinal) => ("ApplyConflict", KedaErrorCategory.ResourceExists,
                    "Another field manager (kubectl, Helm, a GitOps tool) owns these fields with other values. Make the values agree, or pass -Force to take ownership."),
                ("Conflict", _) => ("Conflict", KedaErrorCategory.ResourceExists, "The object changed while it was being updated; run the command again."),
                ("Invalid", _) => ("InvalidObject", KedaErrorCategory.InvalidData,
                    "Fix the field the API server names. New-KedaPrometheusScaler and New-KedaTriggerAuthentication build objects that pass these checks."),
                ("Unauthorized", _) => ("ClusterUnauthorized", KedaErrorCategory.AuthenticationError,
                    "The credentials were refused: connect again (Connect-KedaCluster), or for Entra clusters check the token source."),
                ("Forbidden", _) => ("ClusterForbidden", KedaErrorCategory.PermissionDenied, "Give the identity a Kubernetes (or Azure RBAC for Kubernetes) role that allows this action."),
                ("TooManyRequests", _) or (_, 429) => ("ClusterThrottled", KedaErrorCategory.LimitsExceeded, "The API server kept throttling after retries; run again later or lower -ThrottleLimit."),
                _ when code >= 500 => ("ClusterServerError", KedaErrorCategory.ResourceUnavailable, "The API server kept failing after retries; run the command again later."),
                _ => ("ClusterRequestFailed", KedaErrorCategory.InvalidOperation, "Read the API server's message, correct the input and run again."),
            };
            return new KedaAksException(id, category, $"{action} failed: {message}", target, fix);
        }

        private static string HtmlTitle(string html)
        {
            System.Text.RegularExpressions.Match title = System.Text.RegularExpressions.Regex.Match(html, "<title>([^<]{1,120})</title>",
                System.Text.RegularExpressions.RegexOptions.IgnoreCase);
            return title.Success ? $"'{title.Groups[1].Value.Trim()}'" : "no title";
        }

        /// <summary>
        /// An admission webhook's refusal ("admission webhook ... denied the request: ..."; the API server answers 403 Forbidden, which is not a
        /// permission problem): diagnosed, so KEDA's "already managed by the hpa" is ScaleTargetHasHpa with its fix, any other AdmissionWebhookDenied.
        /// </summary>
        internal static KedaAksException? WebhookDenial(string? message, string target, string action)
        {
            if (message is null || !message.Contains("admission webhook", StringComparison.Ordinal) || !message.Contains("denied the request", StringComparison.Ordinal))
            {
                return null;
            }

            Diagnosis diagnosis = new Diagnostics.ErrorResolver().Resolve(message);
            bool hpa = diagnosis.Code == DiagnosisCode.ScaleTargetHasHpa;
            return new KedaAksException(hpa ? "ScaleTargetHasHpa" : "AdmissionWebhookDenied", hpa ? KedaErrorCategory.ResourceExists : KedaErrorCategory.InvalidData,
                $"{action} failed: {message}", target, diagnosis.Remedy);
        }

        /// <summary>Refuses, before any request, a namespace that is not an RFC 1123 label or a name that is not an RFC 1123 subdomain (the API server's rules).</summary>
        public static void CheckNames(string? ns, string? name)
        {
            if (ns is not null && Resources.KubernetesNames.CheckLabel(ns) is { } nsReason)
            {
                string shown = Azure.AzureSettingsRules.Shown(ns);
                throw new KedaAksException("InvalidNamespace", KedaErrorCategory.InvalidArgument, $"'{shown}' is not a namespace name: {nsReason}.", shown,
                    "Pass a namespace of lowercase letters, digits and '-', at most 63 characters (kubectl get namespaces lists them).");
            }

            if (name is not null && Resources.KubernetesNames.CheckSubdomain(name) is { } nameReason)
            {
                string shown = Azure.AzureSettingsRules.Shown(name);
                throw new KedaAksException("InvalidName", KedaErrorCategory.InvalidArgument, $"'{shown}' is not a Kubernetes object name: {nameReason}.", shown,
                    "Pass a name of lowercase letters, digits, '-' and '.', at most 253 characters.");
            }
        }

        public static KedaAksException KedaNotInstalled(ClusterConnection connection, KubeKind kind) =>
            new("KedaNotInstalled", KedaErrorCategory.NotInstalled,
                $"Cluster '{connection.Name}' does not serve {kind.CrdName}: KEDA is not installed (its CustomResourceDefinitions are missing).", kind.CrdName,
                "Install KEDA first (Install-KedaHelm, the AKS KEDA add-on, or KEDA's manifests), then run again.");

        /// <summary>A request that got no answer: a refused TLS handshake (with <paramref name="refusal"/>, why, when the transport knows) or an unreachable server.</summary>
        public static KedaAksException Unreachable(ClusterConnection connection, Exception exception, string? refusal = null) =>
            exception is k8s.Autorest.HttpOperationException http
                ? FromResponse(http, connection.Server, $"Connecting to cluster '{connection.Name}'")
                : exception is HttpRequestException { InnerException: System.Security.Authentication.AuthenticationException }
                ? new KedaAksException("TlsTrustFailed", KedaErrorCategory.SecurityError,
                    $"Cluster '{connection.Name}' at {connection.Server} was refused at TLS: {refusal ?? Boundary.ExceptionTranslator.Innermost(exception)}", connection.Server,
                    "The kubeconfig's certificate-authority must have signed the API server's certificate, and the server's name (or tls-server-name) must be one "
                    + "that certificate holds, as kubectl requires; get the kubeconfig again (az aks get-credentials, Get-KedaAksCluster | Connect-KedaCluster).")
                : new KedaAksException("ClusterUnreachable", KedaErrorCategory.ConnectionError,
                    $"Cluster '{connection.Name}' at {connection.Server} could not be reached: {(exception as HttpRequestException)?.Message ?? exception.Message}", connection.Server,
                    "Check the network path to the API server (private clusters need a route into the VNet), the kubeconfig's server and CA.");
    }
}
