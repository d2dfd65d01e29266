namespace KedaAks.Commands
{
    /// <summary>Creates or updates KEDA's user-assigned identity, its federated credential for the cluster's issuer, and Monitoring Data Reader on the given workspaces.</summary>
    [Cmdlet(VerbsCommon.New, "KedaWorkloadIdentity", DefaultParameterSetName = ByObject, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium,
        HelpUri = HelpLinks.Base + "New-KedaWorkloadIdentity.md")]
    [OutputType(typeof(WorkloadIdentity))]
    public sealed class NewKedaWorkloadIdentityCommand : AksClusterCmdlet
    {
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string IdentityName { get; set; } = "keda-int-identity";

        [Parameter]
        [ArgumentCompleter(typeof(ResourceGroupCompleter))]
        public string? IdentityResourceGroupName { get; set; }

        [Parameter]
        public string? Location { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string FederatedCredentialName { get; set; } = "kedaFedIdentity";

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string ServiceAccountNamespace { get; set; } = "keda";

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string ServiceAccountName { get; set; } = "keda-operator";

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Audience { get; set; } = "api://AzureADTokenExchange";

        [Parameter]
        public object[]? MonitorWorkspace { get; set; }

        /// <summary>Auto: the add-on's kube-system/keda-operator on an add-on or AKS Automatic cluster, else -ServiceAccountNamespace/-ServiceAccountName.</summary>
        [Parameter]
        [ValidateSet("Auto", "Helm", "AksAddon")]
        public string InstallMethod { get; set; } = "Auto";

        private protected override void ProcessRecordCore()
        {
            var request = new WorkloadIdentityRequest
            {
                Cluster = InputObject,
                ClusterResourceId = ClusterResourceId,
                ClusterResourceGroupName = ResourceGroupName,
                ClusterName = ClusterName,
                IdentityName = IdentityName,
                IdentityResourceGroupName = IdentityResourceGroupName,
                Location = Location,
                FederatedCredentialName = FederatedCredentialName,
                ServiceAccountNamespace = ServiceAccountNamespace,
                ServiceAccountName = ServiceAccountName,
                Audience = Audience,
                InstallMethod = InstallMethod,
                MonitorWorkspaces = (MonitorWorkspace ?? System.Array.Empty<object>()).Select(WorkspaceReference.ToReference).ToList(),
            };
            WriteObject(InvokeAsync(call => Engine.Azure.NewWorkloadIdentityAsync(request, call)));
        }
    }
}
