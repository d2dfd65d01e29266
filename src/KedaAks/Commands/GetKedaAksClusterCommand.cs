namespace KedaAks.Commands
{
    /// <summary>Reads an AKS cluster: the flags and issuer KEDA's integration depends on.</summary>
    [Cmdlet(VerbsCommon.Get, "KedaAksCluster", DefaultParameterSetName = ByName, HelpUri = HelpLinks.Base + "Get-KedaAksCluster.md")]
    [OutputType(typeof(AksCluster))]
    public sealed class GetKedaAksClusterCommand : AzureCmdlet
    {
        private const string ByName = "ByName";
        private const string ById = "ById";

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByName)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ResourceGroupCompleter))]
        public string ResourceGroupName { get; set; } = string.Empty;

        [Parameter(Mandatory = true, Position = 1, ParameterSetName = ByName)]
        [Alias("ClusterName")]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; } = string.Empty;

        [Parameter(Mandatory = true, ParameterSetName = ById, ValueFromPipelineByPropertyName = true)]
        [Alias("Id", "ClusterResourceId")]
        [ValidateNotNullOrEmpty]
        public string ResourceId { get; set; } = string.Empty;

        private protected override void ProcessRecordCore()
        {
            bool byId = ParameterSetName == ById;
            WriteObject(InvokeAsync(call => Engine.Azure.GetClusterAsync(byId ? ResourceId : null, byId ? null : ResourceGroupName, byId ? null : Name, call)));
        }
    }
}
