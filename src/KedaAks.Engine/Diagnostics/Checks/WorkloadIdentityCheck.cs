namespace KedaAks.Engine.Diagnostics.Checks
{
    /// <summary>The user-assigned identity exists: the one given, else the one KEDA's service account names.</summary>
    internal sealed class WorkloadIdentityCheck() : IntegrationCheck("WorkloadIdentity", explains: [DiagnosisCode.IdentityNotFound])
    {
        public override async Task<CheckResult> RunAsync(CheckContext context)
        {
            IdentityFact fact = await context.IdentityAsync().ConfigureAwait(false);
            if (context.Request.Identity is { IdentityResourceId: not null } given)
            {
                return fact.Found is null ? Fail($"Identity '{given.IdentityName}' does not exist.", "New-KedaWorkloadIdentity.")
                    : Pass($"Identity '{given.IdentityName}' exists (client id {fact.Found.ClientId}).");
            }

            string? clientId = await context.ServiceAccountClientIdAsync().ConfigureAwait(false);
            string? subscription = context.Cluster?.SubscriptionId ?? context.Call.Azure.SubscriptionId;
            if (clientId is null || subscription is null)
            {
                return Skip("No identity was given, and none could be found from the service account's client id in a known subscription.");
            }

            return fact.Found is null
                ? Fail($"No user-assigned identity in subscription {subscription} has the client id {clientId} that KEDA's service account names.",
                    "Annotate the service account with the ClientId of the identity (New-KedaServiceAccount), or create it (New-KedaWorkloadIdentity).")
                : Pass($"Identity '{fact.Identity!.IdentityName}' found from the service account's client id.");
        }
    }
}
