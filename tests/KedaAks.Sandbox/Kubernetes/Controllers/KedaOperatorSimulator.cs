using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KedaAks.Sandbox.Kubernetes.Controllers
{
    /// <summary>
    /// What KEDA's operator would log for each prometheus ScaledObject, worked out from the sandbox's real state:
    /// the pod's injected identity, the service-account token exchanged at the sandbox's Entra (federated
    /// credentials, propagation), the workspace query endpoint (Monitoring Data Reader) and the real Prometheus
    /// behind it (KEDA's result rules). Lines use KEDA 2.20's JSON log format and wording.
    /// </summary>
    internal sealed class KedaOperatorSimulator
    {
        private readonly SandboxServer _server;

        public KedaOperatorSimulator(SandboxServer server) => _server = server;

        public IEnumerable<string> Cycle(JsonObject pod)
        {
            var env = (pod["spec"]?["containers"]?[0]?["env"] as JsonArray ?? new JsonArray()).OfType<JsonObject>()
                .ToDictionary(e => e["name"]!.GetValue<string>(), e => e["value"]?.GetValue<string>() ?? string.Empty);
            string podNamespace = pod["metadata"]!["namespace"]!.GetValue<string>();
            string account = pod["spec"]?["serviceAccountName"]?.GetValue<string>() ?? "default";
            foreach (JsonObject scaledObject in _server.Kubernetes.All("scaledobjects"))
            {
                string ns = scaledObject["metadata"]!["namespace"]!.GetValue<string>();
                string name = scaledObject["metadata"]!["name"]!.GetValue<string>();
                foreach (JsonObject trigger in (scaledObject["spec"]?["triggers"] as JsonArray ?? new JsonArray()).OfType<JsonObject>().Where(t => t["type"]?.GetValue<string>() == "prometheus"))
                {
                    string? error = Evaluate(trigger, ns, env, podNamespace, account);
                    if (error is not null)
                    {
                        yield return new JsonObject
                        {
                            ["level"] = "error", ["ts"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture), ["logger"] = "scale_handler",
                            ["msg"] = "error getting metric for scaler", ["scaledObject.Namespace"] = ns, ["scaledObject.Name"] = name, ["scaler"] = "prometheusScaler", ["error"] = error,
                        }.ToJsonString();
                    }
                }
            }
        }

        private string? Evaluate(JsonObject trigger, string ns, Dictionary<string, string> env, string podNamespace, string account)
        {
            JsonNode? metadata = trigger["metadata"];
            string server = metadata?["serverAddress"]?.GetValue<string>() ?? string.Empty;
            string query = metadata?["query"]?.GetValue<string>() ?? string.Empty;
            bool ignoreNull = metadata?["ignoreNullValues"]?.GetValue<string>() is not ("false" or "False" or "FALSE" or "f" or "F" or "0");
            string? bearer = null;
            if (trigger["authenticationRef"]?["name"]?.GetValue<string>() is { } authName)
            {
                JsonObject? auth = _server.Kubernetes.Get("keda.sh/v1alpha1", "triggerauthentications", ns, authName);
                if (auth?["spec"]?["podIdentity"]?["provider"]?.GetValue<string>() == "azure-workload")
                {
                    string? clientId = auth["spec"]!["podIdentity"]!["identityId"]?.GetValue<string>() ?? (env.TryGetValue("AZURE_CLIENT_ID", out string? c) ? c : null);
                    if (clientId is null || !env.ContainsKey("AZURE_FEDERATED_TOKEN_FILE"))
                    {
                        return "sources must contain at least one TokenCredential";
                    }

                    string assertion = _server.ServiceAccountTokens.Issue(podNamespace, account, Guid.NewGuid().ToString(), new[] { "api://AzureADTokenExchange" }, TimeSpan.FromHours(1));
                    (string? token, string? entraError) = _server.Exchange(clientId, assertion, "https://prometheus.monitor.azure.com/.default");
                    if (token is null)
                    {
                        return "ChainedTokenCredential: failed to acquire a token.\nAttempted credentials:\n\tWorkloadIdentityCredential authentication failed. \n" + entraError;
                    }

                    bearer = token;
                }
            }

            if (!server.StartsWith(_server.Url, StringComparison.Ordinal) && !server.StartsWith("http://127.0.0.1", StringComparison.Ordinal))
            {
                return $"Get \"{server}/api/v1/query?query=...\": dial tcp: lookup {new Uri(server).Host}: no such host";
            }

            using var client = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, cert, _, _) => _server.Certificates.Validate(cert) });
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{server}/api/v1/query?query={Uri.EscapeDataString(query)}&time=1735696800");
            if (bearer is not null)
            {
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
            }

            using HttpResponseMessage response = client.Send(request);
            if (!response.IsSuccessStatusCode)
            {
                return $"prometheus query api returned error. status: {(int)response.StatusCode}";
            }

            JsonNode? result = JsonNode.Parse(response.Content.ReadAsStringAsync().GetAwaiter().GetResult())?["data"]?["result"];
            int count = (result as JsonArray)?.Count ?? 0;
            return count > 1 ? $"prometheus query {query} returned multiple elements"
                : count == 0 && !ignoreNull ? "prometheus metrics 'prometheus' target may be lost, the result is empty"
                : null;
        }
    }
}
