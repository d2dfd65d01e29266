namespace KedaAks.Commands
{
    /// <summary>Creates or updates KEDA's user-assigned identity, its federated credential for the cluster's issuer, and Monitoring Data Reader on the given workspaces.</summary>
    [Cmdlet(VerbsCommon.New, "KedaWorkloadIdentity", DefaultParameterSetName = ByObject, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium,
        HelpUri = HelpLinks.Base + "New-KedaWorkloadIdentity.md")]
    [OutputType(typeof(WorkloadIdentity))]
    [BuildsRequest(typeof(WorkloadIdentityRequest), nameof(WorkloadIdentityRequest.Cluster), nameof(WorkloadIdentityRequest.ClusterResourceGroupName),
        nameof(WorkloadIdentityRequest.MonitorWorkspaces))]
    public sealed partial class NewKedaWorkloadIdentityCommand : WorkloadIdentityCmdlet
    {
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string ServiceAccountNamespace { get; set; } = "keda";

        private protected override void ProcessRecordCore()
        {
            WorkloadIdentityRequest request = NewRequest();   // the parameters of the same name (generated)
            request.Cluster = InputObject;
            request.ClusterResourceGroupName = ResourceGroupName;
            request.MonitorWorkspaces = MonitorWorkspaceReferences();
            WriteObject(InvokeAsync(call => Engine.Azure.NewWorkloadIdentityAsync(request, call)));
        }
    }
}
