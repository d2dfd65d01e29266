namespace KedaAks
{
    /// <summary>What Search-KedaAksCluster asks Azure Resource Graph: the scope (subscriptions or management groups), an optional where-clause and a cap.</summary>
    public sealed class ClusterSearchRequest
    {
        /// <summary>The subscriptions to search; null or empty (and no management groups): every subscription the caller can see.</summary>
        public IReadOnlyList<string>? SubscriptionIds { get; set; }

        /// <summary>Management group names to search instead of subscriptions.</summary>
        public IReadOnlyList<string>? ManagementGroups { get; set; }

        /// <summary>A KQL where-clause over the managed-cluster rows (e.g. <c>properties.kubernetesVersion startswith '1.33'</c>); null: none.</summary>
        public string? Filter { get; set; }

        /// <summary>At most this many clusters; null: all.</summary>
        public int? First { get; set; }
    }
}
