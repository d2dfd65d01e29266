using KedaAks.Engine.Resources;

namespace KedaAks.Engine.Azure
{
    /// <summary>What Entra and Kubernetes accept as the names of KEDA's identity, its credential and its service account; checked before any call.</summary>
    internal static class WorkloadIdentityRules
    {
        private static readonly Regex IdentityNamePattern = new("^[a-zA-Z0-9][a-zA-Z0-9_-]{2,127}$", RegexOptions.CultureInvariant);
        private static readonly Regex LocationPattern = new("^[A-Za-z0-9]{2,40}$", RegexOptions.CultureInvariant);
        private static readonly Regex CredentialNamePattern = new("^[a-zA-Z0-9][a-zA-Z0-9-_]{2,119}$", RegexOptions.CultureInvariant);

        public static void Validate(WorkloadIdentityRequest request)
        {
            var violations = new Violations();
            if (!IdentityNamePattern.IsMatch(request.IdentityName))
            {
                violations.Add("InvalidIdentityName", request.IdentityName,
                    $"identity name '{request.IdentityName}' is invalid: 3-128 characters, letters, digits, '-' and '_', starting with a letter or digit.", "Choose a name such as keda-int-identity.");
            }

            if (!CredentialNamePattern.IsMatch(request.FederatedCredentialName))
            {
                violations.Add("InvalidFederatedCredentialName", request.FederatedCredentialName,
                    $"Federated Identity Credential name '{request.FederatedCredentialName}' is invalid: 3-120 characters, letters, digits, '-' and '_', "
                    + "starting with a letter or digit.", "Choose a name such as kedaFedIdentity.");
            }

            if (KubernetesNames.CheckLabel(request.ServiceAccountNamespace) is { } nsReason)
            {
                violations.Add("InvalidNamespace", request.ServiceAccountNamespace, $"namespace '{request.ServiceAccountNamespace}' is invalid: {nsReason}.",
                    "Use the namespace KEDA is installed in, e.g. keda.");
            }

            if (KubernetesNames.CheckSubdomain(request.ServiceAccountName) is { } saReason)
            {
                violations.Add("InvalidServiceAccountName", request.ServiceAccountName, $"service account name '{request.ServiceAccountName}' is invalid: {saReason}.",
                    "Use KEDA's operator service account, keda-operator.");
            }

            if (string.IsNullOrWhiteSpace(request.Audience) || request.Audience.Length > 600 || request.Audience.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            {
                violations.Add("InvalidAudience", AzureSettingsRules.Shown(request.Audience ?? string.Empty),
                    "the audience must be one value of at most 600 characters, without spaces or control characters (Entra's limit).", $"Use {ArmApi.TokenExchangeAudience}.");
            }

            if (request.Location is { } location && !LocationPattern.IsMatch(location))
            {
                violations.Add("InvalidLocation", AzureSettingsRules.Shown(location), "the location must be an Azure region name such as eastus (letters and digits).",
                    "Omit -Location to use the cluster's, or pass a region from 'az account list-locations --query [].name'.");
            }

            violations.ThrowIfAny($"workload identity '{request.IdentityName}'");
        }
    }
}
