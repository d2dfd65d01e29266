namespace KedaAks.Infrastructure
{
    /// <summary>
    /// Base of cmdlets that target an AKS cluster, taken three ways as Az.Aks does: an AksCluster by pipeline,
    /// -ResourceGroupName with -ClusterName, or -ClusterResourceId (aliases ResourceId, Id) by property name, so
    /// Get-AzAksCluster output binds without Az types.
    /// </summary>
    public abstract class AksClusterCmdlet : AzureCmdlet
    {
        internal const string ByObject = "InputObject";
        internal const string ByName = "ByName";
        internal const string ById = "ById";

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = ByObject)]
        public AksCluster? InputObject { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = ByName)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ResourceGroupCompleter))]
        public string? ResourceGroupName { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = ByName)]
        [ValidateNotNullOrEmpty]
        public string? ClusterName { get; set; }

        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ById)]
        [Alias("ResourceId", "Id")]
        [ValidateNotNullOrEmpty]
        public string? ClusterResourceId { get; set; }
    }
}
