namespace KedaAks
{
    /// <summary>An AKS managed cluster, as far as KEDA's integration cares.</summary>
    public sealed class AksCluster
    {
        public string Name { get; set; } = string.Empty;

        public string ResourceGroupName { get; set; } = string.Empty;

        public string SubscriptionId { get; set; } = string.Empty;

        public string ResourceId { get; set; } = string.Empty;

        public string? Location { get; set; }

        public string? KubernetesVersion { get; set; }

        public string? ProvisioningState { get; set; }

        public bool OidcIssuerEnabled { get; set; }

        /// <summary><c>oidcIssuerProfile.issuerURL</c>, byte for byte (AKS ends it with '/').</summary>
        public string? OidcIssuerUrl { get; set; }

        public bool WorkloadIdentityEnabled { get; set; }

        public bool KedaAddonEnabled { get; set; }

        public bool AadEnabled { get; set; }

        public bool LocalAccountsDisabled { get; set; }

        public string? Fqdn { get; set; }

        public string? AadTenantId { get; set; }

        /// <summary>The cluster SKU name: Base, or Automatic (AKS Automatic: KEDA comes preconfigured in kube-system).</summary>
        public string? Sku { get; set; }

        public override string ToString() => Name;
    }
}
