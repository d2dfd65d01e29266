namespace KedaAks.Commands
{
    /// <summary>
    /// Turns on the AKS managed KEDA add-on (workloadAutoScalerProfile.keda.enabled) by one full PUT that keeps every other setting; no-op when on.
    /// Refuses (KedaAlreadyInstalled) while the cluster runs a Helm or manifest KEDA, unless -Force.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Enable, "KedaAksAddon", DefaultParameterSetName = ByObject, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium,
        HelpUri = HelpLinks.Base + "Enable-KedaAksAddon.md")]
    [OutputType(typeof(AksCluster))]
    public sealed class EnableKedaAksAddonCommand : AksClusterCmdlet
    {
        /// <summary>Enable the add-on even though another KEDA runs on the cluster (AKS then runs two; remove the other).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        private protected override void ProcessRecordCore()
        {
            AzureSettings settings = Settings;
            WriteObject(InvokeAsync(call => Engine.Addon.EnableAsync(InputObject, ClusterResourceId, ResourceGroupName, ClusterName, null, Force.IsPresent, call)));
        }
    }
}
