namespace KedaAks.Engine.Helm
{
    /// <summary>A helm upgrade --install worked out but not run: the chart, the values, the release as it is now, and the owner-only work folder (removed on dispose).</summary>
    internal sealed class HelmPlan(WorkDirectory work, string helm, string kubeconfig, string? token, string chartReference, string[] sourceArguments, ChartInfo chart,
        Dictionary<string, object?> values, string target, string description, ReleaseState? current, HelmInstallRequest request, ClusterConnection connection)
        : IDisposable
    {
        public WorkDirectory Work { get; } = work;

        public string Helm { get; } = helm;

        public string Kubeconfig { get; } = kubeconfig;

        /// <summary>The API server token helm gets through its environment (never its command line or a file).</summary>
        public string? Token { get; } = token;

        public string ChartReference { get; } = chartReference;

        public string[] SourceArguments { get; } = sourceArguments;

        public ChartInfo Chart { get; } = chart;

        public Dictionary<string, object?> Values { get; } = values;

        public string Target { get; } = target;

        /// <summary>The chart version, the value layout and every value, as -WhatIf shows them.</summary>
        public string Description { get; } = description;

        public ReleaseState? Current { get; } = current;

        public HelmInstallRequest Request { get; } = request;

        public ClusterConnection Connection { get; } = connection;

        /// <summary>The release already runs this chart version with these values: helm would only make a new revision.</summary>
        public bool UpToDate => Current is not null && Current.Matches(Chart.Version, Values);

        public void Dispose() => Work.Dispose();
    }
}
