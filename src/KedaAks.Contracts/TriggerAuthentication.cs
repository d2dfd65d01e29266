namespace KedaAks
{
    /// <summary>A validated <c>keda.sh/v1alpha1</c> TriggerAuthentication or ClusterTriggerAuthentication using pod identity.</summary>
    public sealed class TriggerAuthentication(string name, string? @namespace, bool isClusterScoped, PodIdentityProvider provider,
        string? identityId, string? identityTenantId, string? identityAuthorityHost)
        : KedaResource("keda.sh/v1alpha1", isClusterScoped ? ClusterKind : NamespacedKind, name, isClusterScoped ? null : @namespace)
    {
        public const string NamespacedKind = "TriggerAuthentication";
        public const string ClusterKind = "ClusterTriggerAuthentication";

        public bool IsClusterScoped { get; } = isClusterScoped;

        public PodIdentityProvider Provider { get; } = provider;

        /// <summary>KEDA's spelling of <see cref="Provider"/>, as written to <c>spec.podIdentity.provider</c>.</summary>
        public string ProviderName => PodIdentityProviders.ToKedaName(Provider);

        /// <summary>Client id of the user-assigned identity; null means the one annotated on KEDA's service account.</summary>
        public string? IdentityId { get; } = identityId;

        public string? IdentityTenantId { get; } = identityTenantId;

        public string? IdentityAuthorityHost { get; } = identityAuthorityHost;

        /// <summary>Set on objects read from a cluster.</summary>
        public string? ResourceVersion { get; set; }
    }
}
