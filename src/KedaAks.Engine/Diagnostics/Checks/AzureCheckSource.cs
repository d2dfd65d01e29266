namespace KedaAks.Engine.Diagnostics.Checks
{
    /// <summary>The checks' Azure reads, from the engine's <see cref="AzureService"/>.</summary>
    internal sealed class AzureCheckSource : ICheckAzure
    {
        private readonly AzureService _azure;

        public AzureCheckSource(AzureService azure) => _azure = azure;

        public Task<UserAssignedIdentity?> GetIdentityAsync(string id, CallContext call) => _azure.GetIdentityAsync(id, call);

        public Task<UserAssignedIdentity?> FindIdentityByClientIdAsync(string subscriptionId, string clientId, CallContext call) => _azure.FindIdentityByClientIdAsync(subscriptionId, clientId, call);

        public Task<IReadOnlyList<FederatedCredential>> ListFederatedCredentialsAsync(string identityId, CallContext call) => _azure.ListFederatedCredentialsAsync(identityId, call);

        public Task<List<RoleAssignment>> RoleAssignmentsAtAsync(string principalId, string scope, CallContext call) => _azure.RoleAssignmentsAtAsync(principalId, scope, call);
    }
}
