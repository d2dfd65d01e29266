namespace KedaAks.Infrastructure
{
    /// <summary>
    /// Base of the cmdlets that may name an AKS cluster but need not (every <see cref="ClusterCmdlet"/>, and Export-KedaGitOpsBundle, which
    /// reads Azure only for what it is not told): the optional -ResourceGroupName with -ClusterName, or -ClusterResourceId (aliases ResourceId,
    /// Id) bound by property name, so Get-AzAksCluster output names the cluster without Az types. The mandatory sets are <see cref="AksClusterCmdlet"/>'s.
    /// </summary>
    public abstract class ClusterReferenceCmdlet : AzureSettingsCmdlet
    {
        [Parameter]
        [ArgumentCompleter(typeof(ResourceGroupCompleter))]
        public string? ResourceGroupName { get; set; }

        [Parameter]
        public string? ClusterName { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("ResourceId", "Id")]
        public string? ClusterResourceId { get; set; }

        /// <summary>
        /// The parameters typed on the command line (BeginProcessing sees no pipeline-bound ones): -ClusterResourceId binds by property name,
        /// so a cluster named there must be told from one that came down the pipeline.
        /// </summary>
        private System.Collections.Generic.HashSet<string>? _typed;

        private protected override void BeginProcessingCore()
        {
            _typed = new System.Collections.Generic.HashSet<string>(MyInvocation.BoundParameters.Keys, System.StringComparer.OrdinalIgnoreCase);
            base.BeginProcessingCore();
        }

        /// <summary>Whether a parameter was typed on the command line rather than bound from the pipeline.</summary>
        private protected bool Typed(string name) => _typed?.Contains(name) ?? MyInvocation.BoundParameters.ContainsKey(name);
    }
}
