namespace KedaAks
{
    /// <summary>Az.Accounts' current context in the caller's runspace, as the host reports it.</summary>
    public sealed class AzContextInfo
    {
        public AzContextInfo(string? account, string? tenantId, string? subscriptionId, string? environment)
        {
            Account = account;
            TenantId = tenantId;
            SubscriptionId = subscriptionId;
            Environment = environment;
        }

        public string? Account { get; }

        public string? TenantId { get; }

        public string? SubscriptionId { get; }

        public string? Environment { get; }
    }
}
