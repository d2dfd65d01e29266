namespace KedaAks
{
    /// <summary>Input of <c>New-KedaWorkloadIdentity</c>.</summary>
    public sealed class WorkloadIdentityRequest
    {
        public AksCluster? Cluster { get; set; }

        public string? ClusterResourceId { get; set; }

        public string? ClusterResourceGroupName { get; set; }

        public string? ClusterName { get; set; }

        public string IdentityName { get; set; } = "keda-int-identity";

        public string? IdentityResourceGroupName { get; set; }

        public string? Location { get; set; }

        public string FederatedCredentialName { get; set; } = "kedaFedIdentity";

        public string ServiceAccountNamespace { get; set; } = "keda";

        public string ServiceAccountName { get; set; } = "keda-operator";

        /// <summary>Auto (how KEDA is or will be installed: the add-on's kube-system/keda-operator on add-on and Automatic clusters), Helm or AksAddon.</summary>
        public string InstallMethod { get; set; } = "Auto";

        public string Audience { get; set; } = "api://AzureADTokenExchange";

        /// <summary>Workspaces that get Monitoring Data Reader: resource ids, or names (looked up in the cluster's resource group, then the subscription).</summary>
        public IReadOnlyList<string> MonitorWorkspaces { get; set; } = Array.Empty<string>();
    }
}
