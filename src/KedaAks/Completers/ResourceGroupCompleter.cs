namespace KedaAks.Completers
{
    /// <summary>-ResourceGroupName: the resource groups of the subscription (-SubscriptionId, else Connect-KedaAzure's), only once signed in with a source that cannot prompt.</summary>
    public sealed class ResourceGroupCompleter : EngineCompleter
    {
        private protected override CompletionQuery? Query(string commandName, BoundArguments bound)
        {
            AzureSettings? azure = bound.SignedInAzure();
            return azure is null ? null
                : new CompletionQuery($"groups|{azure.ArmEndpoint}|{azure.TenantId}|{azure.SubscriptionId}", azure, (engine, call) => engine.Azure.ListResourceGroupsAsync(null, call));
        }
    }
}
