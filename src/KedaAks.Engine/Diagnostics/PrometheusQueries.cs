using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using global::Azure.Core;
using KedaAks.Engine.Azure;
using KedaAks.Engine.Keda;
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

        private readonly EngineOptions _options;
        private readonly ErrorResolver _resolver = new();

        public PrometheusQueries(EngineOptions options, WorkloadIdentityProbe? probe)
        {
            _options = options;
            Probe = probe;
        }

        /// <summary>Exchanges KEDA's service-account token (for -AsWorkloadIdentity); set by the engine.</summary>
        private WorkloadIdentityProbe? Probe { get; }

        public async Task<QueryResult> RunAsync(PrometheusQueryRequest request, CallContext call)
        {
            if (!Uri.TryCreate(request.ServerAddress, UriKind.Absolute, out Uri? server) || server.Scheme is not ("http" or "https") || request.ServerAddress.Any(char.IsControl))
            {
                string shown = Azure.AzureSettingsRules.Shown(request.ServerAddress ?? string.Empty);
                throw new KedaAksException("InvalidServerAddress", KedaErrorCategory.InvalidArgument, $"'{shown}' is not a Prometheus server address (an absolute http or https URL).",
                    shown, "Pass the query endpoint, e.g. the workspace's PrometheusQueryEndpoint (Get-KedaMonitorWorkspace) or http://prometheus.monitoring:9090.");
            }

            DateTimeOffset time = (request.Time ?? DateTimeOffset.UtcNow).ToUniversalTime();
            string uri = BuildUri(request, time);
            var result = new QueryResult { Query = request.Query, RequestUri = uri, ScaledObjectName = request.ScaledObjectName, TriggerIndex = request.TriggerIndex };
            using var message = new HttpRequestMessage(HttpMethod.Get, uri);
            foreach (KeyValuePair<string, string> header in request.CustomHeaders)
            {
                message.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            if (request.AsWorkloadIdentity is { } identity)
            {
                if (request.Connection is null || Probe is null)
                {
                    throw new KedaAksException("ClusterConnectionRequired", KedaErrorCategory.InvalidArgument,
                        "-AsWorkloadIdentity needs the cluster, to request KEDA's service-account token.", identity.IdentityName,
                        "Connect-KedaCluster first, or pass -Cluster / -KubeconfigPath.");
                }

                string scope = AzureScope(request) ?? CloudEndpoints.Resolve(call.Azure).PrometheusScope;
                string token = await Probe.ExchangeOnceAsync(request.Connection, identity, scope, call).ConfigureAwait(false);
                message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }
            else if (AzureScope(request) is { } scope)
            {
                string token = await TokenAsync(scope, call).ConfigureAwait(false);
                message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            call.Host.WriteVerbose($"GET {uri}");
            string body;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(call.Cancellation))
            {
                timeout.CancelAfter(request.Timeout);
                try
                {
                    using HttpResponseMessage response = await _options.QueryHttp.SendAsync(message, timeout.Token).ConfigureAwait(false);
                    result.StatusCode = (int)response.StatusCode;
                    body = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
                    if (!response.IsSuccessStatusCode)
                    {
                        return Fail(result, $"prometheus query api returned error. status: {result.StatusCode}", body);
                    }
                }
                catch (OperationCanceledException) when (!call.Cancellation.IsCancellationRequested)
                {
                    return Fail(result,
                        $"Get \"{uri}\": context deadline exceeded (Client.Timeout exceeded while awaiting headers) after {request.Timeout.TotalMilliseconds:0} ms: error executing "
                        + $"prometheus query", null);
                }
                catch (HttpRequestException exception)
                {
                    return Fail(result, $"Get \"{uri}\": {exception.Message}: error executing prometheus query", null);
                }
            }

            return Evaluate(request, result, body);
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
                        result.Message = "The query returned no series; with ignoreNullValues=true KEDA uses 0.";
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
                        result.Message = $"The {result.ResultType} result has no single value; with ignoreNullValues=true KEDA uses 0. Return an instant vector instead.";
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
                        result.Message = $"The query returned {shown}; with ignoreNullValues=true KEDA uses 0.";
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
        internal static string BuildUri(PrometheusQueryRequest request, DateTimeOffset time)
        {
            var uri = new StringBuilder(request.ServerAddress)
                .Append("/api/v1/query?query=").Append(GoQueryEscape(request.Query))
                .Append("&time=").Append(GoQueryEscape(time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)));
            if (!string.IsNullOrEmpty(request.Namespace))
            {
                uri.Append("&namespace=").Append(GoQueryEscape(request.Namespace!));
            }

            foreach (KeyValuePair<string, string> parameter in request.QueryParameters)
            {
                uri.Append('&').Append(GoQueryEscape(parameter.Key)).Append('=').Append(GoQueryEscape(parameter.Value));
            }

            return uri.ToString();
        }

        /// <summary>Go's url.QueryEscape: unreserved characters stay, space becomes '+', the rest %XX.</summary>
        internal static string GoQueryEscape(string text)
        {
            var builder = new StringBuilder(text.Length * 2);
            foreach (byte b in Encoding.UTF8.GetBytes(text))
            {
                char c = (char)b;
                if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c is '-' or '_' or '.' or '~')
                {
                    builder.Append(c);
                }
                else if (c == ' ')
                {
                    builder.Append('+');
                }
                else
                {
                    builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
                }
            }

            return builder.ToString();
        }

        /// <summary>The Entra scope for Azure Managed Prometheus, as KEDA's round tripper picks it.</summary>
        internal static string? AzureScope(PrometheusQueryRequest request) =>
            PrometheusTrigger.AzureScope(request.ServerAddress, request.Cloud, request.AzureManagedPrometheusResourceUrl);

        private async Task<string> TokenAsync(string scope, CallContext call)
        {
            (_, AccessToken token) = await TokenSources.AcquireAsync(call.Azure, scope, call.Host, _options, "PrometheusAuthenticationFailed", $"Azure Managed Prometheus ({scope})",
                "Sign in with an identity that has Monitoring Data Reader on the workspace (Connect-KedaAzure), or use -AsWorkloadIdentity to test KEDA's own identity.",
                call.Cancellation).ConfigureAwait(false);
            return token.Token;
        }

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
