namespace KedaAks
{
    /// <summary>A Monitoring Data Reader (or other) role assignment.</summary>
    public sealed class RoleAssignment
    {
        public string Id { get; set; } = string.Empty;

        public string Name { get; set; } = string.Empty;

        public string Scope { get; set; } = string.Empty;

        public string RoleDefinitionId { get; set; } = string.Empty;

        public string? RoleName { get; set; }

        public string PrincipalId { get; set; } = string.Empty;

        public string? PrincipalType { get; set; }

        /// <summary>The assignment's description; Install-KedaAksIntegration marks the assignments it makes here.</summary>
        public string? Description { get; set; }

        public override string ToString() => $"{RoleName ?? RoleDefinitionId} on {Scope}";
    }
}
