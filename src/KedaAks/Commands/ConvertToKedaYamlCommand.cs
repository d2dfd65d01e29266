namespace KedaAks.Commands
{
    /// <summary>Renders KedaAks resources as one multi-document YAML string that <c>kubectl apply -f</c> accepts.</summary>
    [Cmdlet(VerbsData.ConvertTo, "KedaYaml", HelpUri = HelpLinks.Base + "ConvertTo-KedaYaml.md")]
    [OutputType(typeof(string))]
    public sealed class ConvertToKedaYamlCommand : KedaAksCmdlet
    {
        private readonly List<KedaResource> _resources = new();

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        public KedaResource[] InputObject { get; set; } = System.Array.Empty<KedaResource>();

        private protected override void ProcessRecordCore() => _resources.AddRange(InputObject);

        private protected override void EndProcessingCore()
        {
            if (_resources.Count > 0)
            {
                WriteObject(Invoke(_ => Engine.Manifests.ToYaml(_resources)));
            }
        }
    }
}
