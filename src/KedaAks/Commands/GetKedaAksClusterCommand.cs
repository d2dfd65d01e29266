namespace KedaAks.Commands
{
    /// <summary>Reads an AKS cluster: the flags and issuer KEDA's integration depends on.</summary>
    [Cmdlet(VerbsCommon.Get, "KedaAksCluster", DefaultParameterSetName = ByName, HelpUri = HelpLinks.Base + "Get-KedaAksCluster.md")]
    [OutputType(typeof(AksCluster))]
    public sealed class GetKedaAksClusterCommand : AzureResourceCmdlet<AksCluster>
    {
        [Parameter(Mandatory = true, Position = 1, ParameterSetName = ByName)]
        [Alias("ClusterName")]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; } = string.Empty;

        [Parameter(Mandatory = true, ParameterSetName = ById, ValueFromPipelineByPropertyName = true)]
        [Alias("Id", "ClusterResourceId")]
        [ValidateNotNullOrEmpty]
        public string ResourceId { get; set; } = string.Empty;

        private protected override string NameValue => Name;

        private protected override string ResourceIdValue => ResourceId;

        private protected override Task<AksCluster> ReadAsync(string? resourceId, string? resourceGroupName, string? name, CallContext call) =>
            Engine.Azure.GetClusterAsync(resourceId, resourceGroupName, name, call);
    }
}
