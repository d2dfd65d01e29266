namespace KedaAks
{
    /// <summary>The ARM side: cluster, workload identity, federated credential, role assignments, Monitor workspaces.</summary>
    public interface IAzureService
    {
        Task<AzureConnection> ConnectAsync(CallContext call);

        /// <summary><paramref name="resourceGroupName"/> and <paramref name="name"/>, or a resource id in <paramref name="resourceId"/>.</summary>
        Task<AksCluster> GetClusterAsync(string? resourceId, string? resourceGroupName, string? name, CallContext call);

        /// <summary>When <paramref name="known"/> (just read, e.g. from the pipeline) already has both features on, nothing is sent.</summary>
        Task<AksCluster> EnableWorkloadIdentityAsync(AksCluster? known, string? resourceId, string? resourceGroupName, string? name, CallContext call);

        /// <summary>workloadAutoScalerProfile.keda.enabled by one full PUT; when <paramref name="known"/> already is so, nothing is sent.</summary>
        Task<AksCluster> SetKedaAddonAsync(AksCluster? known, string? resourceId, string? resourceGroupName, string? name, bool enabled, CallContext call);

        Task<MonitorWorkspace> GetMonitorWorkspaceAsync(string? resourceId, string? resourceGroupName, string? name, CallContext call);

        /// <summary>
        /// A workspace named by resource id, or by name: first in <paramref name="resourceGroupName"/>, then anywhere in the
        /// subscription. Anything else, or a name that matches no workspace or several, is <c>InvalidMonitorWorkspace</c>.
        /// </summary>
        Task<MonitorWorkspace> ResolveMonitorWorkspaceAsync(string reference, string? subscriptionId, string? resourceGroupName, CallContext call);

        Task<WorkloadIdentity> NewWorkloadIdentityAsync(WorkloadIdentityRequest request, CallContext call);

        /// <summary>Monitoring Data Reader for <paramref name="principalId"/> at <paramref name="scope"/>; idempotent, safe right after the identity was created.</summary>
        Task<RoleAssignment?> GrantMonitoringDataReaderAsync(string principalId, string scope, CallContext call);

        Task RemoveWorkloadIdentityAsync(RemoveWorkloadIdentityRequest request, CallContext call);

        /// <summary>
        /// AKS clusters across subscriptions or management groups through one Azure Resource Graph query (pages followed, throttling honoured);
        /// without either, every subscription the caller can see. Invalid where-clauses are <c>InvalidFilter</c>.
        /// </summary>
        Task<IReadOnlyList<AksCluster>> SearchClustersAsync(ClusterSearchRequest request, CallContext call);

        /// <summary>The names of the resource groups of <paramref name="subscriptionId"/> (the call's subscription when null).</summary>
        Task<IReadOnlyList<string>> ListResourceGroupsAsync(string? subscriptionId, CallContext call);
    }
}
