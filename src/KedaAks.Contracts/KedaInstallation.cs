namespace KedaAks
{
    /// <summary>A KEDA installation in a cluster, however it got there (Helm, the AKS add-on, plain manifests).</summary>
    public sealed class KedaInstallation
    {
        public string? ReleaseName { get; set; }

        public string Namespace { get; set; } = string.Empty;

        public string? ChartVersion { get; set; }

        public string? AppVersion { get; set; }

        /// <summary>Helm, AksAddon, Manifests or None (see the install-mode decision: ARM's add-on flag or AKS Automatic, a keda chart release, a bare keda-operator).</summary>
        public string InstallMethod { get; set; } = string.Empty;

        /// <summary>The workload identity client id the operator pod runs with (AZURE_CLIENT_ID), else its service account's annotation.</summary>
        public string? ClientId { get; set; }

        public string? TenantId { get; set; }

        public IReadOnlyList<KedaDeploymentStatus> Deployments { get; set; } = Array.Empty<KedaDeploymentStatus>();

        /// <summary>The three deployments available and, when a client id is expected, the workload identity injected.</summary>
        public bool Healthy { get; set; }

        /// <summary>Helm's release status (deployed, failed, pending-upgrade...) for Helm installs.</summary>
        public string? Status { get; set; }

        public int? Revision { get; set; }

        /// <summary>Why <see cref="Healthy"/> is False, one sentence each (empty when healthy).</summary>
        public IReadOnlyList<string> Problems { get; set; } = Array.Empty<string>();

        /// <summary>For the AKS add-on: the KEDA version AKS ships for the cluster's Kubernetes version (AKS's component table), when listed.</summary>
        public string? AddonKedaVersion { get; set; }
    }
}
