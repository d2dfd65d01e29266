using KedaAks.Commands;

namespace KedaAks.Infrastructure
{
    /// <summary>
    /// Base of the cmdlets that create KEDA's workload identity on an AKS cluster (New-KedaWorkloadIdentity, and the whole article in
    /// <see cref="IntegrationCmdlet"/>): the article's names for the identity, its federated credential and KEDA's service account, with
    /// their defaults, the workspaces it reads, and the install method that decides which service account is federated.
    /// </summary>
    [UsesParameters(typeof(IdentityNameParameters), typeof(ServiceAccountNameParameter), typeof(InstallMethodParameter))]
    public abstract partial class WorkloadIdentityCmdlet : AksClusterCmdlet
    {
        [Parameter]
        public string? Location { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string FederatedCredentialName { get; set; } = "kedaFedIdentity";

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Audience { get; set; } = "api://AzureADTokenExchange";

        [Parameter]
        public object[]? MonitorWorkspace { get; set; }

        /// <summary>Each -MonitorWorkspace (a MonitorWorkspace, or a workspace's resource id or name) as the reference the engine resolves.</summary>
        private protected IReadOnlyList<string> MonitorWorkspaceReferences() =>
            (MonitorWorkspace ?? Array.Empty<object>()).Select(WorkspaceReference.ToReference).ToList();
    }
}
