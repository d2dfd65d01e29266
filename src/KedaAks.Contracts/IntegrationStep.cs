namespace KedaAks
{
    /// <summary>One step of Install-KedaAksIntegration (or Uninstall-KedaAksIntegration): planned, or what it did.</summary>
    public sealed class IntegrationStep
    {
        /// <summary>The cluster the step belongs to (its name), so fleet output can be grouped.</summary>
        public string? Cluster { get; set; }

        /// <summary>Cluster, Identity, FederatedCredential, RoleAssignment, Namespace, ServiceAccount, Keda, Proof or Checks.</summary>
        public string Step { get; set; } = string.Empty;

        public IntegrationAction Action { get; set; }

        /// <summary>What the step changes, e.g. "user-assigned identity 'keda-int-identity' in resource group 'keda-rg'".</summary>
        public string Target { get; set; } = string.Empty;

        /// <summary>The values the step writes (issuer, subject, scope, chart version, value layout...), or why nothing changes.</summary>
        public string? Detail { get; set; }

        /// <summary>What the step did: Created, Updated, Unchanged, Removed, Kept or Skipped; null in a plan.</summary>
        public string? Outcome { get; set; }

        public override string ToString() => $"{Step}: {Outcome ?? Action.ToString()} {Target}";
    }
}
