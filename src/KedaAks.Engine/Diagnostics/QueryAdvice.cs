using System.Text.Json;

namespace KedaAks.Engine.Diagnostics
{
    /// <summary>
    /// Warnings about a trigger's query that KEDA itself never gives: the silent zero (ignoreNullValues defaults to true, so an empty
    /// or NaN result reads as 0 and can scale a workload to zero; field-notes 1.3) and a query that sums the series of several clusters
    /// writing to one Azure Monitor workspace (ama-metrics labels every series with cluster).
    /// </summary>
    internal static class QueryAdvice
    {
        public static string SilentZero(int emptyCount, int minReplicaCount, bool ignoreNullValues) => ignoreNullValues
            ? $"{(emptyCount == 1 ? "The query returned no value" : $"{emptyCount} evaluations returned no value")} (no series, or NaN): with ignoreNullValues true, KEDA's "
                + $"default, KEDA reads 0{(minReplicaCount == 0 ? ", marks the trigger inactive and scales the workload to zero after cooldownPeriod" : ", and the HPA scales down")}. "
                + "If a lost metric must not look like idle, set ignoreNullValues: \"false\" and a fallback (failureThreshold, replicas): KEDA then reports the error "
                + "and the HPA holds the workload at fallback.replicas."
            : $"{(emptyCount == 1 ? "The query returned no value" : $"{emptyCount} evaluations returned no value")}: with ignoreNullValues \"false\" KEDA reports "
                + "an error; without a fallback the HPA keeps the current replicas, with one it moves to fallback.replicas.";

        /// <summary>
        /// When the query filters on no cluster label, asks the server how many clusters write each metric it selects
        /// (<c>count by (cluster) ({__name__="m"})</c>, which an Azure Monitor workspace answers: every query needs a __name__ matcher).
        /// Null when the query filters on the cluster, names no metric, or one cluster writes it all.
        /// </summary>
        public static async Task<string?> ClusterSpreadAsync(PrometheusHttp http, PrometheusQueryRequest request, string? bearer, DateTimeOffset time, CallContext call)
        {
            PromQlScan scan = PromQlSelectors.Scan(request.Query);
            if (scan.FiltersCluster || scan.Metrics.Count == 0)
            {
                return null;
            }

            foreach (string metric in scan.Metrics.Take(3))
            {
                string probe = $"count by ({PromQlSelectors.ClusterLabel}) ({{__name__=\"{metric}\"}})";
                string uri = PrometheusHttp.Uri(request, "/api/v1/query", ("query", probe), ("time", PrometheusHttp.Rfc3339(time)));
                PrometheusAnswer answer = await http.GetAsync(request, uri, bearer, request.Timeout, call).ConfigureAwait(false);
                List<string> clusters = answer.Succeeded ? Clusters(answer.Body) : new List<string>();
                if (clusters.Count > 1)
                {
                    string names = string.Join(", ", clusters.Take(5)) + (clusters.Count > 5 ? ", ..." : string.Empty);
                    return $"Series of {metric} come from {clusters.Count} clusters ({names}) and the query has no {PromQlSelectors.ClusterLabel} label filter: "
                        + "it sums across clusters (or returns several elements, which KEDA refuses). On a workspace that several clusters write to, add "
                        + $"{PromQlSelectors.ClusterLabel}=\"<this cluster>\" to the query's selectors.";
                }
            }

            return null;
        }

        private static List<string> Clusters(string body)
        {
            try
            {
                return (JsonNode.Parse(body)?["data"]?["result"] as JsonArray ?? new JsonArray()).OfType<JsonObject>()
                    .Select(e => e["metric"]?[PromQlSelectors.ClusterLabel]?.GetValue<string>()).Where(c => !string.IsNullOrEmpty(c)).Select(c => c!).Distinct().ToList();
            }
            catch (Exception exception) when (exception is JsonException or InvalidOperationException)
            {
                return new List<string>();
            }
        }
    }
}
