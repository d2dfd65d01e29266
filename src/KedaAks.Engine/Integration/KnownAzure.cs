using KedaAks.Engine.Diagnostics.Checks;

namespace KedaAks.Engine.Integration
{
    /// <summary>
    /// The integration checks' Azure reads, answered from what the run just read and wrote (the identity, its credentials, its role
    /// assignments), so checking costs no further ARM round trip; anything else is read from ARM.
    /// </summary>
    internal sealed class KnownAzure : ICheckAzure
    {
        private readonly ICheckAzure _arm;
        private readonly AzureFacts _facts;

        public KnownAzure(ICheckAzure arm, AzureFacts facts)
        {
            _arm = arm;
            _facts = facts;
        }

        public Task<UserAssignedIdentity?> GetIdentityAsync(string id, CallContext call) =>
            Same(id, _facts.IdentityId) && _facts.Identity is not null ? Task.FromResult<UserAssignedIdentity?>(_facts.Identity) : _arm.GetIdentityAsync(id, call);

        public Task<UserAssignedIdentity?> FindIdentityByClientIdAsync(string subscriptionId, string clientId, CallContext call) =>
            _facts.Identity is { } known && Same(known.ClientId, clientId) ? Task.FromResult<UserAssignedIdentity?>(known) : _arm.FindIdentityByClientIdAsync(subscriptionId, clientId, call);

        public Task<IReadOnlyList<FederatedCredential>> ListFederatedCredentialsAsync(string identityId, CallContext call) =>
            Same(identityId, _facts.IdentityId) && _facts.Identity is not null
                ? Task.FromResult<IReadOnlyList<FederatedCredential>>(_facts.Credentials.ToList())
                : _arm.ListFederatedCredentialsAsync(identityId, call);

        public Task<List<RoleAssignment>> RoleAssignmentsAtAsync(string principalId, string scope, CallContext call) =>
            _facts.Identity is { } known && Same(known.PrincipalId, principalId) && _facts.Roles.TryGetValue(scope, out List<RoleAssignment>? roles)
                ? Task.FromResult(roles.ToList())
                : _arm.RoleAssignmentsAtAsync(principalId, scope, call);

        private static bool Same(string? a, string? b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
    }
}
