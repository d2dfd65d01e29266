namespace KedaAks
{
    /// <summary>What Export-KedaGitOpsBundle is asked for: where, from what, and the KEDA resources to carry.</summary>
    public sealed class GitOpsBundleRequest
    {
        /// <summary>The folder to write (a full path); created when missing.</summary>
        public string Path { get; set; } = string.Empty;

        /// <summary>Overwrite the bundle's files in a folder that is not empty (otherwise PathNotEmpty).</summary>
        public bool Force { get; set; }

        /// <summary>Install's parameters: names with the article's defaults, -InstallMethod, the Helm parameters and the cluster.</summary>
        public AksIntegrationRequest Integration { get; set; } = new();

        /// <summary>What Install-KedaAksIntegration made (piped): its identity, service account, install method and chart version win over the names.</summary>
        public IntegrationResult? Result { get; set; }

        /// <summary>A piped WorkloadIdentity (New-KedaWorkloadIdentity): its client id, tenant and service account.</summary>
        public WorkloadIdentity? Identity { get; set; }

        /// <summary>The identity's client id, given directly (no Azure read then).</summary>
        public string? ClientId { get; set; }

        /// <summary>The identity's tenant, given directly.</summary>
        public string? TenantId { get; set; }

        /// <summary>ScaledObjects, TriggerAuthentications and ClusterTriggerAuthentications to write next to KEDA.</summary>
        public IReadOnlyList<KedaResource> Resources { get; set; } = Array.Empty<KedaResource>();
    }
}
