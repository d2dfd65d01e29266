namespace KedaAks.Engine.Helm
{
    /// <summary>A helm upgrade --install worked out but not run: the chart, the values, the release as it is now, and the owner-only work folder (removed on dispose).</summary>
    internal sealed class HelmPlan : IDisposable
    {
        public HelmPlan(WorkDirectory work, string helm, string kubeconfig, string? token, string chartReference, string[] sourceArguments, ChartInfo chart,
            Dictionary<string, object?> values, string target, string description, ReleaseState? current, HelmInstallRequest request, ClusterConnection connection)
        {
            Work = work;
            Helm = helm;
            Kubeconfig = kubeconfig;
            Token = token;
            ChartReference = chartReference;
            SourceArguments = sourceArguments;
            Chart = chart;
            Values = values;
            Target = target;
            Description = description;
            Current = current;
            Request = request;
            Connection = connection;
        }

        public WorkDirectory Work { get; }

        public string Helm { get; }

        public string Kubeconfig { get; }

        /// <summary>The API server token helm gets through its environment (never its command line or a file).</summary>
        public string? Token { get; }

        public string ChartReference { get; }

        public string[] SourceArguments { get; }

        public ChartInfo Chart { get; }

        public Dictionary<string, object?> Values { get; }

        public string Target { get; }

        /// <summary>The chart version, the value layout and every value, as -WhatIf shows them.</summary>
        public string Description { get; }

        public ReleaseState? Current { get; }

        public HelmInstallRequest Request { get; }

        public ClusterConnection Connection { get; }

        /// <summary>The release already runs this chart version with these values: helm would only make a new revision.</summary>
        public bool UpToDate => Current is not null && Current.Matches(Chart.Version, Values);

        public void Dispose() => Work.Dispose();
    }
}
