using System.Threading;
using System.Threading.Tasks;

namespace KedaAks
{
    /// <summary>The ARM side: cluster, workload identity, federated credential, role assignments, Monitor workspaces.</summary>
    public interface IAzureService
    {
        Task<AzureConnection> ConnectAsync(AzureSettings settings, IKedaAksHost host, CancellationToken cancellationToken);

        /// <summary><paramref name="resourceGroupName"/> and <paramref name="name"/>, or a resource id in <paramref name="resourceId"/>.</summary>
        Task<AksCluster> GetClusterAsync(AzureSettings settings, string? resourceId, string? resourceGroupName, string? name, IKedaAksHost host, CancellationToken cancellationToken);

        /// <summary>When <paramref name="known"/> (just read, e.g. from the pipeline) already has both features on, nothing is sent.</summary>
        Task<AksCluster> EnableWorkloadIdentityAsync(AzureSettings settings, AksCluster? known, string? resourceId, string? resourceGroupName, string? name, IKedaAksHost host, CancellationToken cancellationToken);

        Task<MonitorWorkspace> GetMonitorWorkspaceAsync(AzureSettings settings, string? resourceId, string? resourceGroupName, string? name, IKedaAksHost host, CancellationToken cancellationToken);

        Task<WorkloadIdentity> NewWorkloadIdentityAsync(AzureSettings settings, WorkloadIdentityRequest request, IKedaAksHost host, CancellationToken cancellationToken);

        /// <summary>Monitoring Data Reader for <paramref name="principalId"/> at <paramref name="scope"/>; idempotent, safe right after the identity was created.</summary>
        Task<RoleAssignment?> GrantMonitoringDataReaderAsync(AzureSettings settings, string principalId, string scope, IKedaAksHost host, CancellationToken cancellationToken);

        Task RemoveWorkloadIdentityAsync(AzureSettings settings, RemoveWorkloadIdentityRequest request, IKedaAksHost host, CancellationToken cancellationToken);
    }
}
