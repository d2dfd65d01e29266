using System;

namespace KedaAks
{
    /// <summary>KEDA's <c>spec.podIdentity.provider</c> values. <see cref="Azure"/> (AAD Pod Identity) exists only so it can be refused with a reason: KEDA 2.15 removed it.</summary>
    public enum PodIdentityProvider
    {
        AzureWorkload,
        Gcp,
        Aws,
        AwsEks,
        None,
        Azure,
    }

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

    /// <summary>Translation between <see cref="PodIdentityProvider"/> and KEDA's spellings.</summary>
    public static class PodIdentityProviders
    {
        public static string ToKedaName(PodIdentityProvider provider) => provider switch
        {
            PodIdentityProvider.AzureWorkload => "azure-workload",
            PodIdentityProvider.Gcp => "gcp",
            PodIdentityProvider.Aws => "aws",
            PodIdentityProvider.AwsEks => "aws-eks",
            PodIdentityProvider.None => "none",
            PodIdentityProvider.Azure => "azure",
            _ => throw new ArgumentOutOfRangeException(nameof(provider)),
        };

        /// <summary>Accepts KEDA's spelling (<c>azure-workload</c>) and the enum name (<c>AzureWorkload</c>), case-insensitively.</summary>
        public static bool TryParse(string? text, out PodIdentityProvider provider)
        {
            provider = default;
            if (string.IsNullOrWhiteSpace(text))
            {
                return false;
            }

            string trimmed = text!.Trim();
            foreach (PodIdentityProvider candidate in (PodIdentityProvider[])Enum.GetValues(typeof(PodIdentityProvider)))
            {
                if (string.Equals(trimmed, ToKedaName(candidate), StringComparison.OrdinalIgnoreCase)
                    || string.Equals(trimmed, candidate.ToString(), StringComparison.OrdinalIgnoreCase))
                {
                    provider = candidate;
                    return true;
                }
            }

            return false;
        }
    }
}
