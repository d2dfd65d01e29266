namespace KedaAks
{
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
