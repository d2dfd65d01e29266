namespace KedaAks.Infrastructure
{
    /// <summary>
    /// Base of the cmdlets that read one Azure resource (Get-KedaAksCluster, Get-KedaMonitorWorkspace): by -ResourceGroupName and -Name
    /// (positions 0 and 1), or by -ResourceId bound by property name. The subclasses declare -Name and -ResourceId, because their aliases
    /// differ (a cluster's name is also -ClusterName), and say how the engine reads the resource.
    /// </summary>
    public abstract class AzureResourceCmdlet<T> : AzureCmdlet
    {
        internal const string ByName = "ByName";
        internal const string ById = "ById";

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByName)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ResourceGroupCompleter))]
        public string ResourceGroupName { get; set; } = string.Empty;

        /// <summary>The -Name the subclass declares.</summary>
        private protected abstract string NameValue { get; }

        /// <summary>The -ResourceId the subclass declares.</summary>
        private protected abstract string ResourceIdValue { get; }

        /// <summary>Reads the resource by its id, or by its resource group and name (the arguments of the other set are null).</summary>
        private protected abstract Task<T> ReadAsync(string? resourceId, string? resourceGroupName, string? name, CallContext call);

        private protected override void ProcessRecordCore()
        {
            bool byId = ParameterSetName == ById;
            WriteObject(InvokeAsync(call => ReadAsync(byId ? ResourceIdValue : null, byId ? null : ResourceGroupName, byId ? null : NameValue, call)));
        }
    }
}
