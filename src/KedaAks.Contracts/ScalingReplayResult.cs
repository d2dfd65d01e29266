namespace KedaAks
{
    /// <summary>A scaling replay: every sample of every threshold's run, one summary per run, and the terminal chart.</summary>
    public sealed class ScalingReplayResult
    {
        public IReadOnlyList<ScalingSample> Samples { get; set; } = Array.Empty<ScalingSample>();

        public IReadOnlyList<ScalingReplaySummary> Summaries { get; set; } = Array.Empty<ScalingReplaySummary>();

        /// <summary>The metric, the threshold and the replicas as text, for the host.</summary>
        public string Chart { get; set; } = string.Empty;

        /// <summary>The HTML report written, if one was asked for.</summary>
        public string? ReportPath { get; set; }
    }
}
