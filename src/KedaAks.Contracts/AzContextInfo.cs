namespace KedaAks
{
    /// <summary>Az.Accounts' current context in the caller's runspace, as the host reports it.</summary>
    public sealed class AzContextInfo(string? account, string? tenantId, string? subscriptionId, string? environment)
    {
        public string? Account { get; } = account;

        public string? TenantId { get; } = tenantId;

        public string? SubscriptionId { get; } = subscriptionId;

        public string? Environment { get; } = environment;
    }
}
