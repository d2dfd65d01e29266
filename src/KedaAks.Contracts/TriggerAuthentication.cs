namespace KedaAks
{
    /// <summary>A validated <c>keda.sh/v1alpha1</c> TriggerAuthentication or ClusterTriggerAuthentication using pod identity.</summary>
    public sealed class TriggerAuthentication : KedaResource
    {
        public const string NamespacedKind = "TriggerAuthentication";
        public const string ClusterKind = "ClusterTriggerAuthentication";

        public TriggerAuthentication(string name, string? @namespace, bool isClusterScoped, PodIdentityProvider provider,
            string? identityId, string? identityTenantId, string? identityAuthorityHost)
            : base("keda.sh/v1alpha1", isClusterScoped ? ClusterKind : NamespacedKind, name, isClusterScoped ? null : @namespace)
        {
            IsClusterScoped = isClusterScoped;
            Provider = provider;
            IdentityId = identityId;
            IdentityTenantId = identityTenantId;
            IdentityAuthorityHost = identityAuthorityHost;
        }

        public bool IsClusterScoped { get; }

        public PodIdentityProvider Provider { get; }

        /// <summary>KEDA's spelling of <see cref="Provider"/>, as written to <c>spec.podIdentity.provider</c>.</summary>
        public string ProviderName => PodIdentityProviders.ToKedaName(Provider);

        /// <summary>Client id of the user-assigned identity; null means the one annotated on KEDA's service account.</summary>
        public string? IdentityId { get; }

        public string? IdentityTenantId { get; }

        public string? IdentityAuthorityHost { get; }

        /// <summary>Set on objects read from a cluster.</summary>
        public string? ResourceVersion { get; set; }
    }
}
