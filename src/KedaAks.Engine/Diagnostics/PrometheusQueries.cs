using System.Text.Json;
using KedaAks.Engine.Resources;

namespace KedaAks.Engine.Diagnostics
{
    /// <summary>
    /// Runs a prometheus trigger's query exactly as KEDA v2.20 does (request form, timeout, headers, query
    /// parameters, Entra token for Azure Managed Prometheus), applies KEDA's result rules (one element, empty,
    /// NaN/Inf, ignoreNullValues, scalar and matrix results) and works out what KEDA's activation and the HPA's
    /// replica calculation would do (the arithmetic is <see cref="HpaMath"/>).
    /// </summary>
    internal sealed class PrometheusQueries : IPrometheusQueries
    {
        /// <summary>How a result KEDA reads as 0 is described (empty, NaN/Inf, a matrix): the silent zero the warnings explain.</summary>
        private const string NullAsZero = "with ignoreNullValues=true KEDA uses 0";

        private readonly ErrorResolver _resolver = new();

        public PrometheusQueries(EngineOptions options, WorkloadIdentityProbe? probe) => Http = new PrometheusHttp(options, probe);

        /// <summary>How requests reach the trigger's server (shared with the scaling replay).</summary>
        internal PrometheusHttp Http { get; }

        public async Task<QueryResult> RunAsync(PrometheusQueryRequest request, CallContext call)
        {
            PrometheusHttp.CheckServerAddress(request.ServerAddress);

            DateTimeOffset time = (request.Time ?? DateTimeOffset.UtcNow).ToUniversalTime();
            string uri = BuildUri(request, time);
            var result = new QueryResult { Query = request.Query, RequestUri = uri, ScaledObjectName = request.ScaledObjectName, TriggerIndex = request.TriggerIndex };
            string? bearer = await Http.AuthorizationAsync(request, call).ConfigureAwait(false);
            PrometheusAnswer answer = await Http.GetAsync(request, uri, bearer, request.Timeout, call).ConfigureAwait(false);
            result.StatusCode = answer.StatusCode;
            if (answer.Failure is { } failure)
            {
                return Fail(result, failure, null);
            }

            if (!answer.Succeeded)
            {
                return Fail(result, $"prometheus query api returned error. status: {result.StatusCode}", answer.Body);
            }

            Evaluate(request, result, answer.Body);
            if (result.Succeeded && result.Message.Contains(NullAsZero, StringComparison.Ordinal))
            {
                result.Warnings.Add(QueryAdvice.SilentZero(1, request.MinReplicaCount, ignoreNullValues: true));
            }

            if (result.Succeeded || result.ElementCount > 1)
            {
                if (await QueryAdvice.ClusterSpreadAsync(Http, request, bearer, time, call).ConfigureAwait(false) is { } spread)
                {
                    result.Warnings.Add(spread);
                }
            }

            foreach (string warning in result.Warnings)
            {
                call.Host.WriteWarning(warning);
            }

            return result;
        }

        public IReadOnlyList<PrometheusQueryRequest> FromScaledObject(ScaledObject scaledObject)
        {
            var requests = new List<PrometheusQueryRequest>();
            for (int i = 0; i < scaledObject.Triggers.Count; i++)
            {
                ScaledObjectTrigger trigger = scaledObject.Triggers[i];
                if (trigger.Type != "prometheus")
                {
                    continue;
                }

                var prometheus = new PrometheusTrigger(trigger.Metadata);
                requests.Add(new PrometheusQueryRequest
                {
                    ServerAddress = prometheus.ServerAddress ?? string.Empty,
                    Query = prometheus.Query ?? string.Empty,
                    Threshold = prometheus.Threshold,
                    ActivationThreshold = prometheus.ActivationThreshold,
                    MetricType = trigger.MetricType,
                    MinReplicaCount = scaledObject.MinReplicaCount,
                    MaxReplicaCount = scaledObject.MaxReplicaCount,
                    IgnoreNullValues = prometheus.IgnoreNullValues,
                    Timeout = prometheus.Timeout,
                    CustomHeaders = prometheus.CustomHeaders,
                    QueryParameters = prometheus.QueryParameters,
                    Namespace = prometheus.Value("namespace"),
                    Cloud = prometheus.Value("cloud"),
                    AzureManagedPrometheusResourceUrl = prometheus.Value("azureManagedPrometheusResourceURL"),
                    ScaledObjectName = scaledObject.Name,
                    TriggerIndex = i,
                });
            }

            return requests;
        }

        /// <summary>KEDA's result rules (ExecutePromQuery) and then activation and the HPA's calculation.</summary>
        internal QueryResult Evaluate(PrometheusQueryRequest request, QueryResult result, string body)
        {
            JsonNode? data;
            try
            {
                data = JsonNode.Parse(body)?["data"];
            }
            catch (JsonException exception)
            {
                return Fail(result, exception.Message, null);
            }

            result.ResultType = data?["resultType"]?.GetValue<string>();
            JsonNode? results = data?["result"];
            double? value;
            switch (result.ResultType)
            {
                case "scalar":
                    // KEDA decodes data.result into a list of {metric, value}; a scalar's [time, "value"] does not fit that.
                    result.ElementCount = 1;
                    return Fail(result,
                        "json: cannot unmarshal number into Go struct field .data.result of type struct { Metric struct {} \"json:\\\"metric\\\"\"; Value []interface {} "
                        + "\"json:\\\"value\\\"\" } (KEDA cannot read scalar results: wrap the query in vector(...))", null);
                case "vector":
                case "matrix":
                    JsonArray elements = results as JsonArray ?? new JsonArray();
                    result.ElementCount = elements.Count;
                    if (elements.Count == 0)
                    {
                        if (!request.IgnoreNullValues)
                        {
                            return Fail(result, "prometheus metrics 'prometheus' target may be lost, the result is empty", null);
                        }

                        value = 0;
                        result.Message = $"The query returned no series; {NullAsZero}.";
                        break;
                    }

                    if (elements.Count > 1)
                    {
                        return Fail(result, $"prometheus query {request.Query} returned multiple elements", null);
                    }

                    JsonArray? sample = elements[0]?["value"] as JsonArray;
                    if (sample is null || sample.Count == 0)
                    {
                        // A matrix carries "values", not "value": KEDA sees an empty value list.
                        if (!request.IgnoreNullValues)
                        {
                            return Fail(result, "prometheus metrics 'prometheus' target may be lost, the value list is empty", null);
                        }

                        value = 0;
                        result.Message = $"The {result.ResultType} result has no single value; {NullAsZero}. Return an instant vector instead.";
                        break;
                    }

                    if (sample.Count == 1)
                    {
                        return Fail(result, $"prometheus query {request.Query} didn't return enough values", null);
                    }

                    string text = sample[1]?.GetValue<string>() ?? string.Empty;
                    if (!TryParseGoFloat(text, out double parsed))
                    {
                        return Fail(result, $"strconv.ParseFloat: parsing {GoSyntax.Quote(text)}: invalid syntax", null);
                    }

                    if (double.IsNaN(parsed) || double.IsInfinity(parsed))
                    {
                        string shown = double.IsNaN(parsed) ? "NaN" : parsed > 0 ? "+Inf" : "-Inf";
                        if (!request.IgnoreNullValues)
                        {
                            return Fail(result, $"prometheus query returns {shown}", null);
                        }

                        value = 0;
                        result.Message = $"The query returned {shown}; {NullAsZero}.";
                        break;
                    }

                    value = parsed;
                    break;
                default:
                    return Fail(result, $"unexpected result type '{result.ResultType ?? "(none)"}'", null);
            }

            result.Value = value;
            result.Succeeded = true;
            Decide(request, result, value!.Value);
            return result;
        }

        private static void Decide(PrometheusQueryRequest request, QueryResult result, double value)
        {
            double activation = Number(request.ActivationThreshold) ?? 0;
            result.IsActive = HpaMath.IsActive(value, activation);
            double? threshold = Number(request.Threshold);
            var notes = new List<string>();
            if (result.Message.Length > 0)
            {
                notes.Add(result.Message);
            }

            if (!result.IsActive.Value && request.MinReplicaCount == 0)
            {
                result.DesiredReplicas = 0;
                notes.Add($"Value {Format(value)} is not above activationThreshold {Format(activation)}: KEDA scales the workload to 0 (after cooldownPeriod).");
            }
            else if (threshold is > 0)
            {
                // KEDA hands the HPA the threshold as a milli-quantity, and the value likewise (negative, NaN become 0).
                double target = HpaMath.Milli(threshold.Value);
                double usage = HpaMath.Usage(value);
                int current = HpaMath.Current(request.CurrentReplicas, request.MinReplicaCount);
                bool averageValue = !string.Equals(request.MetricType, "Value", StringComparison.OrdinalIgnoreCase);
                int desired = HpaMath.Desired(averageValue, usage, target, current);
                int floor = HpaMath.Floor(request.MinReplicaCount);
                int clamped = HpaMath.Clamp(desired, request.MinReplicaCount, request.MaxReplicaCount);
                result.DesiredReplicas = clamped;
                notes.Add($"HPA ({(averageValue ? "AverageValue" : "Value")}, target {Format(target)}, {current} current replica(s)): {desired} "
                    + $"desired{(clamped != desired ? $", clamped to {clamped} by min {floor}/max {request.MaxReplicaCount}" : string.Empty)}.");
                if (!result.IsActive.Value)
                {
                    notes.Add($"Not active (value {Format(value)} <= activationThreshold {Format(activation)}), but minReplicaCount {request.MinReplicaCount} keeps the HPA in charge.");
                }
            }
            else
            {
                notes.Add("No threshold given: replicas not computed.");
            }

            result.Message = string.Join(" ", notes);
        }

        private QueryResult Fail(QueryResult result, string error, string? body)
        {
            result.Succeeded = false;
            result.Message = body is null || body.Length == 0 ? error : $"{error} response: {body}";
            result.Diagnosis = _resolver.Resolve(result.Message);
            return result;
        }

        /// <summary>KEDA's request: serverAddress + /api/v1/query?query=&lt;QueryEscape&gt;&amp;time=&lt;RFC 3339&gt;, then namespace and queryParameters.</summary>
        internal static string BuildUri(PrometheusQueryRequest request, DateTimeOffset time) =>
            PrometheusHttp.Uri(request, "/api/v1/query", ("query", request.Query), ("time", PrometheusHttp.Rfc3339(time)));

        private static bool TryParseGoFloat(string text, out double value)
        {
            switch (text)
            {
                case "NaN": value = double.NaN; return true;
                case "+Inf" or "Inf": value = double.PositiveInfinity; return true;
                case "-Inf": value = double.NegativeInfinity; return true;
                default: return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
            }
        }

        private static double? Number(string? text) => PrometheusTrigger.ReadNumber(text);

        private static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
    }
}
