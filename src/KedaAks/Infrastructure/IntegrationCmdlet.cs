using KedaAks.Commands;

namespace KedaAks.Infrastructure
{
    /// <summary>
    /// The parameters of the whole article in one command (Install-KedaAksIntegration, Get-KedaIntegrationPlan, Uninstall-KedaAksIntegration):
    /// the cluster three ways, the workspaces, the identity's names and the install method (<see cref="WorkloadIdentityCmdlet"/>), KEDA's namespace,
    /// the Helm parameters of Install-KedaHelm, and how to reach the API server.
    /// </summary>
    [UsesParameters(typeof(KedaNamespaceParameter), typeof(HelmReleaseParameters), typeof(KubeconfigParameters))]
    public abstract partial class IntegrationCmdlet : WorkloadIdentityCmdlet
    {
        [Parameter]
        [ArgumentCompleter(typeof(ChartVersionCompleter))]
        public string? Version { get; set; }

        [Parameter]
        public string? ChartPath { get; set; }

        [Parameter]
        public string? Repository { get; set; }

        [Parameter]
        public string? HelmPath { get; set; }

        /// <summary>Seconds for each wait: the cluster update, the rollout, the federation proof.</summary>
        [Parameter]
        [ValidateRange(1, 86400)]
        public int Timeout { get; set; } = 600;

        private protected AksIntegrationRequest Request()
        {
            if (ChartPath is not null && Repository is not null)
            {
                throw new KedaAksException("AmbiguousChart", KedaErrorCategory.InvalidArgument, "Both -ChartPath and -Repository were given.", ChartPath,
                    "Pass -ChartPath for a local chart, or -Repository for a chart repository, not both.");
            }

            var request = new AksIntegrationRequest
            {
                Cluster = InputObject,
                ClusterResourceId = ClusterResourceId,
                ResourceGroupName = ResourceGroupName,
                ClusterName = ClusterName,
                KubeconfigPath = KubeconfigPath is null ? null : Array.ConvertAll(KubeconfigPath, p => SessionState.Path.GetUnresolvedProviderPathFromPSPath(p)),
                Context = Context,
                Admin = Admin.IsPresent,
                MonitorWorkspaces = MonitorWorkspaceReferences(),
                IdentityName = IdentityName,
                IdentityResourceGroupName = IdentityResourceGroupName,
                Location = Location,
                FederatedCredentialName = FederatedCredentialName,
                Audience = Audience,
                Namespace = Namespace,
                ServiceAccountName = ServiceAccountName,
                InstallMethod = InstallMethod,
                ReleaseName = ReleaseName,
                Version = Version,
                ChartPath = ChartPath is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(ChartPath),
                Set = Set is null ? null : PlainValues.Of(Set),
                HelmPath = HelmPath,
                Timeout = TimeSpan.FromSeconds(Timeout),
            };
            if (Repository is not null)
            {
                request.Repository = Repository;
            }

            return request;
        }
    }
}
