namespace KedaAks.Commands
{
    /// <summary>Names the cause of KEDA, HPA, webhook and Entra error text, with the evidence and the fix. Pure text in; nothing is contacted.</summary>
    [Cmdlet(VerbsDiagnostic.Resolve, "KedaError", HelpUri = HelpLinks.Base + "Resolve-KedaError.md")]
    [OutputType(typeof(Diagnosis))]
    public sealed class ResolveKedaErrorCommand : KedaAksCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Line", "Text")]
        [AllowEmptyString]
        public string[] Message { get; set; } = System.Array.Empty<string>();

        private protected override void ProcessRecordCore()
        {
            foreach (string text in Message)
            {
                if (!string.IsNullOrWhiteSpace(text))
                {
                    WriteObject(Engine.Diagnostics.Resolve(text));
                }
            }
        }
    }
}
