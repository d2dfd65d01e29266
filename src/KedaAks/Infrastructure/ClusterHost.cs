namespace KedaAks.Infrastructure
{
    /// <summary>
    /// The host one cluster's work talks to inside a fleet run: its Verbose, Warning and Debug lines name the cluster (they interleave with the
    /// other clusters'), its progress is a child record of the fleet's, one per running slot; questions (ShouldProcess, the Az context) go to the
    /// pipeline thread unchanged.
    /// </summary>
    internal sealed class ClusterHost(PipelineHost host, string cluster, int slot, int parent) : IKedaAksHost
    {
        private readonly string _prefix = $"[{cluster}] ";

        public void WriteVerbose(string message) => host.WriteVerbose(_prefix + message);

        public void WriteWarning(string message) => host.WriteWarning(_prefix + message);

        public void WriteDebug(string message) => host.WriteDebug(_prefix + message);

        public void WriteProgress(string activity, string status, int percentComplete = -1, bool completed = false) =>
            host.WriteProgress(slot, parent, _prefix + activity, status, percentComplete, completed);

        public bool ShouldProcess(string target, string action) => host.ShouldProcess(target, action);

        public AzContextInfo? GetAzContext() => host.GetAzContext();

        public HostAccessToken? GetAzAccessToken(string resourceUrl, string? tenantId) => host.GetAzAccessToken(resourceUrl, tenantId);
    }
}
