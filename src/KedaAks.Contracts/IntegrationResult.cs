namespace KedaAks
{
    /// <summary>What Install-KedaAksIntegration made of one cluster: the parts, the checks, and what each step did.</summary>
    public sealed class IntegrationResult
    {
        public AksCluster? Cluster { get; set; }

        public WorkloadIdentity? WorkloadIdentity { get; set; }

        public ServiceAccount? ServiceAccount { get; set; }

        public KedaInstallation? Installation { get; set; }

        /// <summary>Wait-KedaWorkloadIdentity's proof that the federation works (null when the proof was not run).</summary>
        public WorkloadIdentityProof? Proof { get; set; }

        public IReadOnlyList<CheckResult> Checks { get; set; } = Array.Empty<CheckResult>();

        public IReadOnlyList<IntegrationStep> Steps { get; set; } = Array.Empty<IntegrationStep>();

        /// <summary>The install method used: Helm or AksAddon.</summary>
        public string InstallMethod { get; set; } = string.Empty;

        public string? ClusterName => Cluster?.Name;

        /// <summary>True when no check failed.</summary>
        public bool Succeeded { get; set; }

        public override string ToString() => $"{ClusterName}: {(Succeeded ? "integrated" : "not integrated")}";
    }
}
