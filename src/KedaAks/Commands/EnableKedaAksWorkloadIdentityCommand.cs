namespace KedaAks.Commands
{
    /// <summary>Enables the OIDC issuer and workload identity on an AKS cluster in one update (no-op when both are on).</summary>
    [Cmdlet(VerbsLifecycle.Enable, "KedaAksWorkloadIdentity", DefaultParameterSetName = ByObject, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium,
        HelpUri = HelpLinks.Base + "Enable-KedaAksWorkloadIdentity.md")]
    [OutputType(typeof(AksCluster))]
    public sealed class EnableKedaAksWorkloadIdentityCommand : AksClusterCmdlet
    {
        private protected override void ProcessRecordCore()
        {
            WriteObject(InvokeAsync(call => Engine.Azure.EnableWorkloadIdentityAsync(InputObject, ClusterResourceId, ResourceGroupName, ClusterName, call)));
        }
    }
}
