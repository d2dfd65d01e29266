namespace KedaAks.Commands
{
    /// <summary>Deletes TriggerAuthentications (or ClusterTriggerAuthentications piped from Get-KedaTriggerAuthentication).</summary>
    [Cmdlet(VerbsCommon.Remove, "KedaTriggerAuthentication", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, HelpUri = HelpLinks.Base + "Remove-KedaTriggerAuthentication.md")]
    [OutputType(typeof(void))]
    public sealed class RemoveKedaTriggerAuthenticationCommand : RemoveKedaObjectCommand
    {
        private protected override void ProcessRecordCore() => Remove("TriggerAuthentication");
    }
}
