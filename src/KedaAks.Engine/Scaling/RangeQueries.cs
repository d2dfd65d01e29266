using System.Text.Json;
using KedaAks.Engine.Diagnostics;

namespace KedaAks.Engine.Scaling
{
    /// <summary>
    /// A trigger's query over a time range: <c>/api/v1/query_range</c> with the trigger's server, headers, parameters and token
    /// (<see cref="PrometheusHttp"/>), in pieces of at most 10,000 steps (Prometheus refuses more than 11,000 points per series),
    /// read onto the step grid: per evaluation time, how many series had a point and the value when there was one.
    /// </summary>
    internal static class RangeQueries
    {
        public const int MaxStepsPerRequest = 10000;

        /// <summary>The longest range an Azure Monitor workspace's query_range answers (its API limits, range selectors included).</summary>
        public static readonly TimeSpan AzureMaxRange = TimeSpan.FromDays(32);

        /// <summary>query_range takes this long at most per piece: a wide range takes longer than KEDA's instant query.</summary>
        public static readonly TimeSpan MinimumTimeout = TimeSpan.FromSeconds(60);

        public static async Task<MetricHistory> FetchAsync(PrometheusHttp http, PrometheusQueryRequest request, string? bearer, DateTimeOffset start, DateTimeOffset end,
            TimeSpan step, CallContext call)
        {
            var grid = new Dictionary<long, (int Series, double Value)>();
            long steps = (long)((end - start).Ticks / step.Ticks) + 1;
            int pieces = (int)((steps + MaxStepsPerRequest - 1) / MaxStepsPerRequest);
            TimeSpan timeout = request.Timeout > MinimumTimeout ? request.Timeout : MinimumTimeout;
            const string Activity = "Reading the query's history (query_range)";
            try
            {
                for (int piece = 0; piece < pieces; piece++)
                {
                    DateTimeOffset from = start + TimeSpan.FromTicks(step.Ticks * MaxStepsPerRequest * piece);
                    DateTimeOffset to = Min(end, from + TimeSpan.FromTicks(step.Ticks * (MaxStepsPerRequest - 1)));
                    if (pieces > 1)
                    {
                        call.Host.WriteProgress(Activity, $"{from:u} to {to:u}", piece * 100 / pieces);
                    }

                    string uri = PrometheusHttp.Uri(request, "/api/v1/query_range", ("query", request.Query), ("start", Seconds(from)), ("end", Seconds(to)),
                        ("step", step.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)));
                    PrometheusAnswer answer = await http.GetAsync(request, uri, bearer, timeout, call).ConfigureAwait(false);
                    Read(answer, request, grid);
                }
            }
            finally
            {
                if (pieces > 1)
                {
                    call.Host.WriteProgress(Activity, string.Empty, completed: true);
                }
            }

            var points = new List<MetricPoint>((int)Math.Min(steps, int.MaxValue));
            for (long i = 0; i < steps; i++)
            {
                DateTimeOffset time = start + TimeSpan.FromTicks(step.Ticks * i);
                points.Add(grid.TryGetValue(time.ToUnixTimeMilliseconds(), out var found)
                    ? new MetricPoint(time, found.Series == 1 ? found.Value : null, found.Series) : MetricPoint.Empty(time));
            }

            return new MetricHistory(points);
        }

        /// <summary>One answer onto the grid; an error answer becomes the diagnosed error KEDA would have logged.</summary>
        private static void Read(PrometheusAnswer answer, PrometheusQueryRequest request, Dictionary<long, (int Series, double Value)> grid)
        {
            if (!answer.Succeeded)
            {
                string text = answer.Failure ?? $"prometheus query api returned error. status: {answer.StatusCode} response: {answer.Body}";
                Diagnosis diagnosis = new ErrorResolver().Resolve(text);
                // The replay queries with your sign-in (or KEDA's identity with -AsWorkloadIdentity): a 401 or 403 is about that identity, not KEDA's pod.
                string fix = answer.StatusCode switch
                {
                    401 => "The endpoint wants an Entra token: KedaAks sends one to Azure Monitor workspace endpoints (*.prometheus.monitor.azure.*, or with the trigger's "
                        + "cloud metadata) from your sign-in (Connect-KedaAzure); pass -AsWorkloadIdentity to read as KEDA's identity.",
                    403 => "Grant Monitoring Data Reader on the workspace to the identity that reads (your sign-in, or KEDA's with -AsWorkloadIdentity).",
                    _ when diagnosis.Code == DiagnosisCode.Unknown => "Check the server address and the query (Test-KedaPrometheusQuery runs it once).",
                    _ => diagnosis.Remedy,
                };
                throw new KedaAksException("PrometheusRangeQueryFailed", Category(answer.StatusCode), $"The query's history could not be read: {text}", request.ServerAddress, fix);
            }

            JsonNode? data;
            try
            {
                data = JsonNode.Parse(answer.Body)?["data"];
            }
            catch (JsonException exception)
            {
                throw new KedaAksException("PrometheusRangeQueryFailed", KedaErrorCategory.InvalidData, $"The query_range answer is not JSON: {exception.Message}",
                    request.ServerAddress, "Point -ServerAddress at a Prometheus-compatible query endpoint.");
            }

            string? type = data?["resultType"]?.GetValue<string>();
            if (type != "matrix")
            {
                throw new KedaAksException("PrometheusRangeQueryFailed", KedaErrorCategory.InvalidData,
                    $"query_range answered a {type ?? "(missing)"} result, not a matrix: KEDA's query must be an instant vector (a scalar is refused by KEDA too).",
                    request.Query, "Wrap a scalar query in vector(...) and aggregate with sum(...).");
            }

            foreach (JsonObject series in (data!["result"] as JsonArray ?? new JsonArray()).OfType<JsonObject>())
            {
                foreach (JsonArray pair in (series["values"] as JsonArray ?? new JsonArray()).OfType<JsonArray>().Where(p => p.Count == 2))
                {
                    long at = (long)Math.Round(pair[0]!.GetValue<double>() * 1000, MidpointRounding.AwayFromZero);
                    double value = Parse(pair[1]?.GetValue<string>());
                    grid[at] = grid.TryGetValue(at, out var known) ? (known.Series + 1, known.Value) : (1, value);
                }
            }
        }

        private static double Parse(string? text) => text switch
        {
            "NaN" => double.NaN,
            "+Inf" or "Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ? value : double.NaN,
        };

        private static KedaErrorCategory Category(int? status) => status switch
        {
            401 => KedaErrorCategory.AuthenticationError,
            403 => KedaErrorCategory.PermissionDenied,
            400 or 422 => KedaErrorCategory.InvalidArgument,
            null => KedaErrorCategory.ConnectionError,
            _ => KedaErrorCategory.InvalidOperation,
        };

        private static string Seconds(DateTimeOffset time) => (time.ToUnixTimeMilliseconds() / 1000.0).ToString("0.###", CultureInfo.InvariantCulture);

        private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

        /// <summary>Whether the server is an Azure Monitor workspace (its query_range limits apply).</summary>
        public static bool IsAzureWorkspace(PrometheusQueryRequest request) => PrometheusTrigger.IsAzureManagedPrometheus(request.ServerAddress);
    }
}
