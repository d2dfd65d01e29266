namespace KedaAks.Infrastructure
{
    /// <summary>
    /// Base of the cmdlets that run a trigger's query as KEDA does (Test-KedaPrometheusQuery, Invoke-KedaScalingReplay): the query given by
    /// -ServerAddress and -Query (positions 0 and 1), or a piped ScaledObject's prometheus triggers; with -AsWorkloadIdentity the token comes
    /// from KEDA's own identity (a service-account token exchanged with Entra) over the cluster connection.
    /// </summary>
    public abstract class QueryCmdlet : ClusterCmdlet
    {
        internal const string ByQuery = "ByQuery";
        internal const string ByScaledObject = "ByScaledObject";

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByQuery)]
        [ValidateNotNullOrEmpty]
        public string ServerAddress { get; set; } = string.Empty;

        [Parameter(Mandatory = true, Position = 1, ParameterSetName = ByQuery)]
        [ValidateNotNullOrEmpty]
        public string Query { get; set; } = string.Empty;

        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByScaledObject)]
        public ScaledObject? ScaledObject { get; set; }

        [Parameter]
        public SwitchParameter AsWorkloadIdentity { get; set; }

        [Parameter]
        public WorkloadIdentity? WorkloadIdentity { get; set; }

        /// <summary>The identity to query as (null: the caller's own Azure sign-in).</summary>
        private protected WorkloadIdentity? QueryIdentity => AsWorkloadIdentity.IsPresent ? WorkloadIdentity : null;

        /// <summary>The cluster connection KEDA's service-account token comes from under -AsWorkloadIdentity; null otherwise.</summary>
        private protected ClusterConnection? QueryConnection()
        {
            if (!AsWorkloadIdentity.IsPresent)
            {
                return null;
            }

            return WorkloadIdentity is null
                ? throw new KedaAksException("WorkloadIdentityRequired", KedaErrorCategory.InvalidArgument, "-AsWorkloadIdentity needs -WorkloadIdentity (the identity KEDA runs as).", null,
                    "Pass -WorkloadIdentity (New-KedaWorkloadIdentity output).")
                : Connection();
        }
    }
}
