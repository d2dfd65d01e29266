using System;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;

namespace KedaAks.Sandbox.Kubernetes
{
    /// <summary>POST .../serviceaccounts/&lt;name&gt;/token: a bound service-account token for the requested audiences.</summary>
    public sealed class TokenRequests
    {
        private readonly ClusterStore _store;
        private readonly Func<ServiceAccountTokens?> _signer;

        public TokenRequests(ClusterStore store, Func<ServiceAccountTokens?> signer)
        {
            _store = store;
            _signer = signer;
        }

        public (int, JsonNode?) Create(SubresourceRequest request)
        {
            (ResourceType type, string? ns, string name) = (request.Type, request.Namespace, request.Name);
            if (!_store.Objects.TryGetValue(ClusterStore.Key(type, ns, name), out JsonObject? account))
            {
                return KubernetesStatus.ObjectNotFound(type, name);
            }

            JsonNode? spec = (request.Body.Length > 0 ? JsonNode.Parse(request.Body) : null)?["spec"];
            string[] audiences = (spec?["audiences"] as JsonArray)?.Select(a => a!.GetValue<string>()).ToArray() is { Length: > 0 } given
                ? given : new[] { "https://kubernetes.default.svc.cluster.local" };
            long seconds = long.TryParse(spec?["expirationSeconds"]?.ToJsonString(), out long requested) ? Math.Max(600, requested) : 3600;
            string token = (_signer() ?? throw new InvalidOperationException("No token signer."))
                .Issue(ns!, name, account["metadata"]!["uid"]!.GetValue<string>(), audiences, TimeSpan.FromSeconds(seconds));
            return (201, new JsonObject
            {
                ["kind"] = "TokenRequest", ["apiVersion"] = "authentication.k8s.io/v1",
                ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["creationTimestamp"] = null },
                ["spec"] = new JsonObject { ["audiences"] = new JsonArray(audiences.Select(a => (JsonNode)JsonValue.Create(a)!).ToArray()), ["expirationSeconds"] = seconds },
                ["status"] = new JsonObject
                {
                    ["token"] = token, ["expirationTimestamp"] = DateTimeOffset.UtcNow.AddSeconds(seconds).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                },
            });
        }
    }
}
