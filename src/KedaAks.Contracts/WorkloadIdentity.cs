namespace KedaAks
{
    /// <summary>The user-assigned identity KEDA runs as, its federated credential and its role assignments.</summary>
    public sealed class WorkloadIdentity
    {
        public string IdentityName { get; set; } = string.Empty;

        public string? IdentityResourceId { get; set; }

        public string? ResourceGroupName { get; set; }

        public string? SubscriptionId { get; set; }

        public string? Location { get; set; }

        /// <summary>Null only under -WhatIf for an identity that does not exist yet.</summary>
        public string? ClientId { get; set; }

        public string? TenantId { get; set; }

        public string? PrincipalId { get; set; }

        public string FederatedCredentialName { get; set; } = string.Empty;

        public string? Issuer { get; set; }

        public string Subject { get; set; } = string.Empty;

        public string Audience { get; set; } = string.Empty;

        public string ServiceAccountNamespace { get; set; } = string.Empty;

        public string ServiceAccountName { get; set; } = string.Empty;

        public string? ClusterResourceId { get; set; }

        public IReadOnlyList<RoleAssignment> RoleAssignments { get; set; } = Array.Empty<RoleAssignment>();

        public override string ToString() => IdentityName;
    }
}
