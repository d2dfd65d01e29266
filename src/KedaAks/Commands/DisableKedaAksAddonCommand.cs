namespace KedaAks.Commands
{
    /// <summary>Turns off the AKS managed KEDA add-on by one full PUT that keeps every other setting; no-op when off. KEDA's CRDs and ScaledObjects go with it.</summary>
    [Cmdlet(VerbsLifecycle.Disable, "KedaAksAddon", DefaultParameterSetName = ByObject, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High,
        HelpUri = HelpLinks.Base + "Disable-KedaAksAddon.md")]
    [OutputType(typeof(AksCluster))]
    public sealed class DisableKedaAksAddonCommand : AksClusterCmdlet
    {
        private protected override void ProcessRecordCore()
        {
            AzureSettings settings = Settings;
            WriteObject(InvokeAsync(call => Engine.Addon.DisableAsync(InputObject, ClusterResourceId, ResourceGroupName, ClusterName, call)));
        }
    }
}
