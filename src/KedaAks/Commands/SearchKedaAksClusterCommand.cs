namespace KedaAks.Commands
{
    /// <summary>
    /// Finds AKS clusters across subscriptions or management groups with one Azure Resource Graph query, and outputs the same AksCluster objects as
    /// Get-KedaAksCluster, so they pipe into every cluster cmdlet (Test-KedaIntegration -ThrottleLimit checks them in parallel).
    /// </summary>
    [Cmdlet(VerbsCommon.Search, "KedaAksCluster", DefaultParameterSetName = BySubscription, HelpUri = HelpLinks.Base + "Search-KedaAksCluster.md")]
    [OutputType(typeof(AksCluster))]
    public sealed class SearchKedaAksClusterCommand : AzureSignInCmdlet
    {
        private const string BySubscription = "BySubscription";
        private const string ByManagementGroup = "ByManagementGroup";

        /// <summary>The subscriptions to search; without it (and without -ManagementGroup), every subscription the signed-in identity can see.</summary>
        [Parameter(Position = 0, ParameterSetName = BySubscription)]
        [ValidateNotNullOrEmpty]
        public string[]? SubscriptionId { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = ByManagementGroup)]
        [ValidateNotNullOrEmpty]
        public string[]? ManagementGroup { get; set; }

        /// <summary>A KQL where-clause over the cluster rows; checked by the engine (InvalidFilter), so an empty one is that error and not a binding error.</summary>
        [Parameter]
        [AllowEmptyString]
        public string? Filter { get; set; }

        [Parameter]
        [ValidateRange(1, 1000000)]
        public int First { get; set; }

        [Parameter]
        public string? TenantId { get; set; }

        private protected override string? TenantIdValue => TenantId;

        private protected override void ProcessRecordCore()
        {
            var request = new ClusterSearchRequest
            {
                SubscriptionIds = SubscriptionId,
                ManagementGroups = ManagementGroup,
                Filter = MyInvocation.BoundParameters.ContainsKey(nameof(Filter)) ? Filter ?? string.Empty : null,
                First = MyInvocation.BoundParameters.ContainsKey(nameof(First)) ? First : null,
            };
            WriteObject(InvokeAsync(call => Engine.Azure.SearchClustersAsync(request, call)), enumerateCollection: true);
        }
    }
}
