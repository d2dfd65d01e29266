namespace KedaAks.Commands
{
    /// <summary>Lists ScaledObjects in a cluster with their Ready and Active conditions.</summary>
    [Cmdlet(VerbsCommon.Get, "KedaScaledObject", HelpUri = HelpLinks.Base + "Get-KedaScaledObject.md")]
    [OutputType(typeof(ScaledObject))]
    public sealed class GetKedaScaledObjectCommand : GetKedaObjectCommand
    {
        private protected override void ProcessRecordCore()
        {
            var found = Read(ScaledObject.ResourceKind).ToList();
            foreach (KedaResource item in found)
            {
                WriteObject(item);
            }

            WriteNotFound(ScaledObject.ResourceKind, found);
        }
    }
}
