namespace KedaAks.Commands
{
    /// <summary>Creates or updates KEDA's user-assigned identity, its federated credential for the cluster's issuer, and Monitoring Data Reader on the given workspaces.</summary>
    [Cmdlet(VerbsCommon.New, "KedaWorkloadIdentity", DefaultParameterSetName = ByObject, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium,
        HelpUri = HelpLinks.Base + "New-KedaWorkloadIdentity.md")]
    [OutputType(typeof(WorkloadIdentity))]
    public sealed class NewKedaWorkloadIdentityCommand : WorkloadIdentityCmdlet
    {
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string ServiceAccountNamespace { get; set; } = "keda";

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
                MonitorWorkspaces = MonitorWorkspaceReferences(),
            };
            WriteObject(InvokeAsync(call => Engine.Azure.NewWorkloadIdentityAsync(request, call)));
        }
    }
}
