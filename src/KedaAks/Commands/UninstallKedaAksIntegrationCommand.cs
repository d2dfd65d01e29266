namespace KedaAks.Commands
{
    /// <summary>
    /// Removes, in reverse order, what Install-KedaAksIntegration made and marked as its own; keeps everything else; never turns the
    /// cluster's OIDC issuer or workload identity off. Outputs one step each with what it did (Removed, Kept, Absent).
    /// </summary>
    [Cmdlet(VerbsLifecycle.Uninstall, "KedaAksIntegration", DefaultParameterSetName = ByObject, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High,
        HelpUri = HelpLinks.Base + "Uninstall-KedaAksIntegration.md")]
    [OutputType(typeof(IntegrationStep))]
    public sealed class UninstallKedaAksIntegrationCommand : IntegrationCmdlet
    {
        private protected override void ProcessRecordCore()
        {
            AksIntegrationRequest request = Request();
            WriteObject(InvokeAsync(call => Engine.AksIntegration.UninstallAsync(request, call)), enumerateCollection: true);
        }
    }
}
