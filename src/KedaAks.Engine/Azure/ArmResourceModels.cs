namespace KedaAks.Engine.Azure
{
    /// <summary>A user-assigned managed identity as ARM returns it; what other units read instead of ARM's JSON.</summary>
    internal sealed record UserAssignedIdentity(string Id, string Name, string? Location, string? ClientId, string? TenantId, string? PrincipalId,
        IReadOnlyDictionary<string, string>? Tags = null);

    /// <summary>A federated identity credential of a user-assigned identity.</summary>
    internal sealed record FederatedCredential(string Name, string Issuer, string Subject, IReadOnlyList<string> Audiences);
}
