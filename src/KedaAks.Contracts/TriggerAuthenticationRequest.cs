namespace KedaAks
{
    /// <summary>Everything <c>New-KedaTriggerAuthentication</c> was given; the engine validates it.</summary>
    public sealed class TriggerAuthenticationRequest
    {
        public string? Name { get; set; }

        public string? Namespace { get; set; }

        public bool IsClusterScoped { get; set; }

        public PodIdentityProvider Provider { get; set; } = PodIdentityProvider.AzureWorkload;

        /// <summary>Null when not given; an empty string is refused (KEDA's webhook does).</summary>
        public string? IdentityId { get; set; }

        public string? IdentityTenantId { get; set; }

        public string? IdentityAuthorityHost { get; set; }
    }
}
