namespace KedaAks
{
    /// <summary>What <c>Connect-KedaAzure</c> set for this runspace, and the token source that answered.</summary>
    public sealed class AzureConnection(AzureCloudName environment, Uri armEndpoint, Uri? authorityHost, string? tenantId, string? subscriptionId,
        string? subscriptionName, TokenSource tokenSource, string resolvedTokenSource)
    {
        public AzureCloudName Environment { get; } = environment;

        public Uri ArmEndpoint { get; } = armEndpoint;

        /// <summary>The Entra authority; null for a custom cloud connected with a bearer token alone (-ArmEndpoint -AccessToken).</summary>
        public Uri? AuthorityHost { get; } = authorityHost;

        /// <summary>The audience of the ARM tokens (a custom cloud's from its metadata, authentication.audiences[0]).</summary>
        public string? ArmAudience { get; set; }

        public string? TenantId { get; } = tenantId;

        public string? SubscriptionId { get; } = subscriptionId;

        public string? SubscriptionName { get; } = subscriptionName;

        /// <summary>The source asked for (often Auto).</summary>
        public TokenSource TokenSource { get; } = tokenSource;

        /// <summary>The source that gave the token, e.g. "Environment (client secret)".</summary>
        public string ResolvedTokenSource { get; } = resolvedTokenSource;
    }
}
