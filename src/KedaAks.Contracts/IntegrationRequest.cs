namespace KedaAks
{
    /// <summary>What Test-KedaIntegration checks: any part may be missing, and its checks are then skipped.</summary>
    public sealed class IntegrationRequest
    {
        public AksCluster? Cluster { get; set; }

        public ClusterConnection? Connection { get; set; }

        /// <summary>Why there is no <see cref="Connection"/> although a cluster was named: the first cluster check fails with it.</summary>
        public KedaAksException? ConnectionError { get; set; }

        public WorkloadIdentity? Identity { get; set; }

        public string? WorkspaceId { get; set; }

        public string Namespace { get; set; } = "keda";

        public string ServiceAccountName { get; set; } = "keda-operator";

        public TimeSpan LogWindow { get; set; } = TimeSpan.FromMinutes(15);
    }
}
