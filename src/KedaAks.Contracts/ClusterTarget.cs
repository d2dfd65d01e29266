namespace KedaAks
{
    /// <summary>How a command reaches a cluster: through ARM (an AKS cluster), or a kubeconfig (a path and context, or the default).</summary>
    public sealed class ClusterTarget
    {
        public AksCluster? Cluster { get; set; }

        public string? ClusterResourceId { get; set; }

        public string? ResourceGroupName { get; set; }

        public string? ClusterName { get; set; }

        /// <summary>Use listClusterAdminCredential instead of the user credentials.</summary>
        public bool Admin { get; set; }

        /// <summary>One or more kubeconfig files (merged as kubectl merges KUBECONFIG).</summary>
        public IReadOnlyList<string>? KubeconfigPath { get; set; }

        public string? Context { get; set; }

        /// <summary>Write the ARM-issued kubeconfig here (only when asked; otherwise it stays in memory).</summary>
        public string? OutFile { get; set; }

        public bool UsesArm => Cluster is not null || ClusterResourceId is not null || ClusterName is not null;

        public bool IsEmpty => !UsesArm && KubeconfigPath is null && Context is null;
    }
}
