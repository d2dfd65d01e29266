namespace KedaAks.Commands
{
    /// <summary>Deletes ScaledObjects (KEDA then deletes their HPA).</summary>
    [Cmdlet(VerbsCommon.Remove, "KedaScaledObject", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, HelpUri = HelpLinks.Base + "Remove-KedaScaledObject.md")]
    [OutputType(typeof(void))]
    public sealed class RemoveKedaScaledObjectCommand : RemoveKedaObjectCommand
    {
        private protected override void ProcessRecordCore() => Remove("ScaledObject");
    }
}
