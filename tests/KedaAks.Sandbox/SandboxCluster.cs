namespace KedaAks.Sandbox
{
    /// <summary>
    /// One more AKS cluster of the sandbox's fleet (besides the main one the options describe): its subscription, resource group and features, how
    /// KEDA runs on it, and its own Kubernetes API (served under /fleet/&lt;name&gt;/ with its own token and objects).
    /// </summary>
    public sealed record SandboxCluster(string Name, string SubscriptionId, string ResourceGroup)
    {
        public string Location { get; init; } = "eastus";

        public string KubernetesVersion { get; init; } = "1.33.2";

        public bool OidcIssuerEnabled { get; init; }

        public bool WorkloadIdentityEnabled { get; init; }

        /// <summary>workloadAutoScalerProfile.keda.enabled: AKS deploys KEDA into kube-system.</summary>
        public bool KedaAddonEnabled { get; init; }

        /// <summary>Base, or Automatic (KEDA preconfigured in kube-system).</summary>
        public string Sku { get; init; } = "Base";

        /// <summary>KEDA installed by Helm into namespace keda at this version (a release secret and the three deployments); null: none.</summary>
        public string? HelmKedaVersion { get; init; }

        /// <summary>Its API server answers every request with this status (e.g. 502, a broken gateway); 0: it answers normally.</summary>
        public int ApiServerStatus { get; init; }

        public string Id => $"/subscriptions/{SubscriptionId}/resourceGroups/{ResourceGroup}/providers/Microsoft.ContainerService/managedClusters/{Name}";
    }
}
