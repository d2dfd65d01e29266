using KedaAks.Engine.Diagnostics.Checks;

namespace KedaAks.Engine.Integration
{
    /// <summary>
    /// The integration checks' Azure reads, answered from what the run just read and wrote (the identity, its credentials, its role
    /// assignments), so checking costs no further ARM round trip; anything else is read from ARM.
    /// </summary>
    internal sealed class KnownAzure(ICheckAzure arm, AzureFacts facts) : ICheckAzure
    {
        public Task<UserAssignedIdentity?> GetIdentityAsync(string id, CallContext call) =>
            Same(id, facts.IdentityId) && facts.Identity is not null ? Task.FromResult<UserAssignedIdentity?>(facts.Identity) : arm.GetIdentityAsync(id, call);

        public Task<UserAssignedIdentity?> FindIdentityByClientIdAsync(string subscriptionId, string clientId, CallContext call) =>
            facts.Identity is { } known && Same(known.ClientId, clientId) ? Task.FromResult<UserAssignedIdentity?>(known) : arm.FindIdentityByClientIdAsync(subscriptionId, clientId, call);

        public Task<IReadOnlyList<FederatedCredential>> ListFederatedCredentialsAsync(string identityId, CallContext call) =>
            Same(identityId, facts.IdentityId) && facts.Identity is not null
                ? Task.FromResult<IReadOnlyList<FederatedCredential>>(facts.Credentials.ToList())
                : arm.ListFederatedCredentialsAsync(identityId, call);

        public Task<List<RoleAssignment>> RoleAssignmentsAtAsync(string principalId, string scope, CallContext call) =>
            facts.Identity is { } known && Same(known.PrincipalId, principalId) && facts.Roles.TryGetValue(scope, out List<RoleAssignment>? roles)
                ? Task.FromResult(roles.ToList())
                : arm.RoleAssignmentsAtAsync(principalId, scope, call);

        private static bool Same(string? a, string? b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
    }
}
