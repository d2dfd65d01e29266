namespace KedaAks.Infrastructure
{
    /// <summary>
    /// The host one cluster's work talks to inside a fleet run: its Verbose, Warning and Debug lines name the cluster (they interleave with the
    /// other clusters'), its progress is a child record of the fleet's, one per running slot; questions (ShouldProcess, the Az context) go to the
    /// pipeline thread unchanged.
    /// </summary>
    internal sealed class ClusterHost : IKedaAksHost
    {
        private readonly PipelineHost _host;
        private readonly string _prefix;
        private readonly int _slot;
        private readonly int _parent;

        public ClusterHost(PipelineHost host, string cluster, int slot, int parent)
        {
            _host = host;
            _prefix = $"[{cluster}] ";
            _slot = slot;
            _parent = parent;
        }

        public void WriteVerbose(string message) => _host.WriteVerbose(_prefix + message);

        public void WriteWarning(string message) => _host.WriteWarning(_prefix + message);

        public void WriteDebug(string message) => _host.WriteDebug(_prefix + message);

        public void WriteProgress(string activity, string status, int percentComplete = -1, bool completed = false) =>
            _host.WriteProgress(_slot, _parent, _prefix + activity, status, percentComplete, completed);

        public bool ShouldProcess(string target, string action) => _host.ShouldProcess(target, action);

        public AzContextInfo? GetAzContext() => _host.GetAzContext();

        public HostAccessToken? GetAzAccessToken(string resourceUrl, string? tenantId) => _host.GetAzAccessToken(resourceUrl, tenantId);
    }
}
