using KedaAks.Engine.Diagnostics;

namespace KedaAks.Engine.Scaling
{
    /// <summary>
    /// Invoke-KedaScalingReplay: checks every run's rules before the first request, reads the query's history once (query_range
    /// with the trigger's server, headers and token), runs KEDA and the HPA over it once per threshold (<see cref="ScalingSimulation"/>),
    /// and returns the samples, one summary per threshold and the terminal chart; with OutFile it writes the HTML report.
    /// </summary>
    internal sealed class ScalingReplay : IScalingReplay
    {
        /// <summary>More samples than this per run need a wider step.</summary>
        public const int MaxSamples = 200_000;

        private readonly PrometheusQueries _queries;

        public ScalingReplay(PrometheusQueries queries) => _queries = queries;

        public IReadOnlyList<ScalingReplayRequest> FromScaledObject(ScaledObject scaledObject) =>
            _queries.FromScaledObject(scaledObject).Select(query => new ScalingReplayRequest
            {
                Query = query,
                PollingInterval = scaledObject.PollingInterval,
                CooldownPeriod = scaledObject.CooldownPeriod,
                IdleReplicaCount = scaledObject.IdleReplicaCount,
                Fallback = scaledObject.Fallback,
                Behavior = scaledObject.Behavior,
            }).ToList();

        public async Task<ScalingReplayResult> ReplayAsync(ScalingReplayRequest request, CallContext call)
        {
            Diagnostics.PrometheusHttp.CheckServerAddress(request.Query.ServerAddress);
            (DateTimeOffset start, DateTimeOffset end, TimeSpan step) = Range(request);
            IList<string> thresholds = request.Thresholds.Count > 0 ? request.Thresholds
                : request.Query.Threshold is { Length: > 0 } own ? new[] { own }
                : throw new KedaAksException("ThresholdRequired", KedaErrorCategory.InvalidArgument, "The replay needs a threshold: the trigger has none and -Threshold was not given.",
                    request.Query.Query, "Pass -Threshold (several values compare them side by side).");
            List<ReplaySettings> settings = thresholds.Select(t => ReplaySettings.From(request, t)).ToList();
            if (request.OutFile is { } asked && (asked.Length == 0 || asked.IndexOfAny(Path.GetInvalidPathChars()) >= 0 || asked.Any(char.IsControl)))
            {
                string shown = AzureSettingsRules.Shown(asked);
                throw new KedaAksException("InvalidOutFile", KedaErrorCategory.InvalidArgument, $"'{shown}' is not a file path.", shown,
                    "Pass -OutFile a path such as ./replay.html (no control characters).");
            }

            string? outFile = request.OutFile is { } path ? Path.GetFullPath(path) : null;
            if (outFile is not null && !Directory.Exists(Path.GetDirectoryName(outFile)))
            {
                throw new KedaAksException("ReportFolderNotFound", KedaErrorCategory.ObjectNotFound, $"The folder of '{outFile}' does not exist.", outFile,
                    "Create the folder, or give -OutFile a path in an existing one.");
            }

            call.Host.WriteVerbose($"Replaying {request.Query.Query} from {start:u} to {end:u} every {step.TotalSeconds:0.###} s: {settings[0].Describe()}.");
            PrometheusHttp http = _queries.Http;
            string? bearer = await http.AuthorizationAsync(request.Query, call).ConfigureAwait(false);
            MetricHistory history = await RangeQueries.FetchAsync(http, request.Query, bearer, start, end, step, call).ConfigureAwait(false);
            var shared = new List<string>();
            if (await QueryAdvice.ClusterSpreadAsync(http, request.Query, bearer, end, call).ConfigureAwait(false) is { } spread)
            {
                shared.Add(spread);
            }

            List<SimulationRun> runs = settings.Select(s => ScalingSimulation.Run(s, history, start, end, step, request.Query.ScaledObjectName)).ToList();
            List<ScalingReplaySummary> summaries = runs.Select(r => ReplaySummaries.Summarize(r, history, request, step, shared)).ToList();
            foreach (string warning in summaries.SelectMany(s => s.Warnings).Distinct())
            {
                call.Host.WriteWarning(warning);
            }

            var result = new ScalingReplayResult
            {
                Samples = runs.SelectMany(r => r.Samples).ToList(),
                Summaries = summaries,
                Chart = TerminalChart.Render(history, runs, request.Query.Query, request.ChartWidth),
            };
            if (outFile is not null)
            {
                await File.WriteAllTextAsync(outFile, HtmlReport.Render(history, runs, summaries, request.Query), call.Cancellation).ConfigureAwait(false);
                call.Host.WriteVerbose($"Wrote the report to {outFile}.");
                result.ReportPath = outFile;
            }

            return result;
        }

        /// <summary>Start, End and Step checked: End defaults to now and Start to a day before it, on whole steps from Start.</summary>
        internal static (DateTimeOffset Start, DateTimeOffset End, TimeSpan Step) Range(ScalingReplayRequest request)
        {
            TimeSpan step = request.Step;
            if (step < TimeSpan.FromSeconds(1))
            {
                throw Invalid($"Step {step} is shorter than a second.", step, "Give -Step of at least 1 second (the HPA syncs every 15).");
            }

            DateTimeOffset end = (request.End ?? DateTimeOffset.UtcNow).ToUniversalTime();
            DateTimeOffset start = (request.Start ?? end.AddDays(-1)).ToUniversalTime();
            start = DateTimeOffset.FromUnixTimeSeconds(start.ToUnixTimeSeconds());
            if (start >= end)
            {
                throw Invalid($"Start {start:u} is not before End {end:u}.", start, "Give -Start before -End.");
            }

            long samples = (end - start).Ticks / step.Ticks + 1;
            if (samples > MaxSamples)
            {
                throw Invalid($"{samples} samples from {start:u} to {end:u} every {step.TotalSeconds:0.###} s are more than the replay takes ({MaxSamples}).", step,
                    $"Use a wider -Step (at least {Math.Ceiling((end - start).TotalSeconds / MaxSamples):0} s) or a shorter range.");
            }

            if (RangeQueries.IsAzureWorkspace(request.Query) && end - start > RangeQueries.AzureMaxRange)
            {
                throw Invalid($"An Azure Monitor workspace answers query_range over at most {RangeQueries.AzureMaxRange.TotalDays:0} days; {start:u} to {end:u} is longer.",
                    start, "Replay at most 32 days at a time (range selectors in the query count too).");
            }

            return (start, start + TimeSpan.FromTicks((end - start).Ticks / step.Ticks * step.Ticks), step);
        }

        private static KedaAksException Invalid(string message, object? target, string fix) => new("InvalidReplayRange", KedaErrorCategory.InvalidArgument, message, target, fix);
    }
}
