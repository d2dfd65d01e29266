using System.Text.Json;
using k8s.Models;

namespace KedaAks.Engine.Helm
{
    /// <summary>
    /// The newest revision of one Helm release, read from its release secret: status, chart version, the values it was
    /// installed with, its labels. Lets a re-run see that the release already is as asked, so no new revision is made.
    /// </summary>
    internal sealed record ReleaseState(string Name, string Namespace, int Revision, string Status, string? ChartVersion, JsonNode? Values,
        IReadOnlyDictionary<string, string> Labels, DateTimeOffset? LastDeployed)
    {
        /// <summary>A helm operation started and did not finish (it runs, or the process that ran it was stopped).</summary>
        public bool Pending => Status.StartsWith("pending-", StringComparison.Ordinal);

        public bool Deployed => Status == "deployed";

        public static async Task<ReleaseState?> ReadAsync(IKubeGateway gateway, ClusterConnection connection, string name, string ns, CallContext call)
        {
            IList<V1Secret> secrets = await gateway.ListSecretsAsync(connection, $"{ReleaseSecrets.Selector},name={name}", call).ConfigureAwait(false);
            V1Secret? newest = secrets.Where(s => s.Metadata?.NamespaceProperty == ns)
                .OrderByDescending(s => int.TryParse(s.Metadata?.Labels?.TryGetValue("version", out string? v) == true ? v : null, out int n) ? n : 0)
                .FirstOrDefault();
            if (newest is null || ReleaseSecrets.Decode(newest) is not JsonNode release)
            {
                return null;
            }

            string? deployed = release["info"]?["last_deployed"]?.GetValue<string>();
            return new ReleaseState(name, ns, release["version"]?.GetValue<int>() ?? 0, release["info"]?["status"]?.GetValue<string>() ?? "unknown",
                release["chart"]?["metadata"]?["version"]?.GetValue<string>(), release["config"],
                (IReadOnlyDictionary<string, string>?)newest.Metadata?.Labels ?? new Dictionary<string, string>(),
                DateTimeOffset.TryParse(deployed, out DateTimeOffset at) ? at : null);
        }

        /// <summary>Whether the release runs <paramref name="chartVersion"/> with exactly <paramref name="values"/> (compared as JSON, key order ignored).</summary>
        public bool Matches(string chartVersion, IDictionary<string, object?> values) =>
            Deployed && string.Equals(ChartVersion, chartVersion, StringComparison.Ordinal) && JsonEqual(Values, JsonSerializer.SerializeToNode(values));

        private static bool JsonEqual(JsonNode? a, JsonNode? b) => (a, b) switch
        {
            (null, null) => true,
            (JsonObject x, JsonObject y) => x.Count == y.Count && x.All(p => y.TryGetPropertyValue(p.Key, out JsonNode? other) && JsonEqual(p.Value, other)),
            (JsonArray x, JsonArray y) => x.Count == y.Count && x.Zip(y).All(p => JsonEqual(p.First, p.Second)),
            (JsonValue x, JsonValue y) => x.ToJsonString() == y.ToJsonString() || Scalar(x) == Scalar(y),
            (null, JsonObject { Count: 0 }) or (JsonObject { Count: 0 }, null) => true,
            _ => false,
        };

        /// <summary>Helm stores values as YAML→JSON: "true" and true, 1 and "1" come back as typed; compare their text.</summary>
        private static string Scalar(JsonValue value) => value.ToJsonString().Trim('"').ToLowerInvariant();
    }
}
