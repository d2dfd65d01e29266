namespace KedaAks.Commands
{
    /// <summary>Lists TriggerAuthentications (and, with -IncludeClusterScoped, ClusterTriggerAuthentications) in a cluster.</summary>
    [Cmdlet(VerbsCommon.Get, "KedaTriggerAuthentication", HelpUri = HelpLinks.Base + "Get-KedaTriggerAuthentication.md")]
    [OutputType(typeof(TriggerAuthentication))]
    public sealed class GetKedaTriggerAuthenticationCommand : GetKedaObjectCommand
    {
        [Parameter]
        public SwitchParameter IncludeClusterScoped { get; set; }

        private protected override void ProcessRecordCore()
        {
            var found = Read(TriggerAuthentication.NamespacedKind).ToList();
            if (IncludeClusterScoped.IsPresent)
            {
                found.AddRange(Read(TriggerAuthentication.ClusterKind, namespaced: false));
            }

            foreach (KedaResource item in found)
            {
                WriteObject(item);
            }

            WriteNotFound(TriggerAuthentication.NamespacedKind, found);
        }
    }
}
