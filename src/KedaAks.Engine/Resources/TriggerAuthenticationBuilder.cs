namespace KedaAks.Engine.Resources
{
    /// <summary>TriggerAuthentication rules: the CRD's provider enum (v2.15+) and the admission webhook's identity checks (v2.20).</summary>
    internal static class TriggerAuthenticationBuilder
    {
        public static TriggerAuthentication Build(TriggerAuthenticationRequest request, IKedaAksHost host)
        {
            var violations = new Violations();
            string kind = request.IsClusterScoped ? TriggerAuthentication.ClusterKind : TriggerAuthentication.NamespacedKind;
            string name = request.Name ?? string.Empty;

            if (string.IsNullOrWhiteSpace(request.Name))
            {
                violations.Add("MissingName", request.Name, $"a {kind} needs a name.", "Pass -Name, e.g. -Name azure-managed-prometheus-trigger-auth.");
            }
            else if (KubernetesNames.CheckSubdomain(name) is { } nameReason)
            {
                violations.Add("InvalidName", name, $"metadata.name {GoSyntax.Quote(name)} is invalid: {nameReason}.",
                    "Use lower-case letters, digits, '-' and '.', starting and ending with a letter or digit.");
            }

            if (request.IsClusterScoped && request.Namespace is not null)
            {
                violations.Add("NamespaceNotAllowed", request.Namespace, "a ClusterTriggerAuthentication is cluster-scoped and has no namespace.", "Omit -Namespace when you pass -Cluster.");
            }
            else if (request.Namespace is not null && KubernetesNames.CheckLabel(request.Namespace) is { } nsReason)
            {
                violations.Add("InvalidNamespace", request.Namespace, $"namespace {GoSyntax.Quote(request.Namespace)} is invalid: {nsReason}.",
                    "Use an existing namespace name such as 'default' or 'app'.");
            }

            if (request.Provider == PodIdentityProvider.Azure)
            {
                violations.Add("UnsupportedPodIdentityProvider", "azure",
                    "spec.podIdentity.provider: Unsupported value: \"azure\": supported values: \"azure-workload\", \"gcp\", \"aws\", \"aws-eks\", \"none\". AAD Pod Identity (provider "
                        + "'azure') was removed in KEDA 2.15.",
                    "Use -Provider AzureWorkload (Entra Workload ID) with a federated credential for KEDA's service account.");
            }

            CheckNotEmpty(violations, request.IdentityId, "EmptyIdentityId", "identityId of PodIdentity should not be empty. If it's set, identityId has to be different than \"\".",
                "Omit -IdentityId to use the client id annotated on KEDA's service account, or pass the identity's client id.");
            CheckNotEmpty(violations, request.IdentityTenantId, "EmptyIdentityTenantId",
                "identityTenantId of PodIdentity should not be empty. If it's set, identityTenantId has to be different than \"\".",
                "Omit -IdentityTenantId, or pass the tenant id of the identity.");
            CheckNotEmpty(violations, request.IdentityAuthorityHost, "EmptyIdentityAuthorityHost", "identityAuthorityHost of PodIdentity should not be empty.",
                "Omit -IdentityAuthorityHost, or pass the Entra authority such as https://login.microsoftonline.com/.");

            if (request.IdentityTenantId is not null && request.IdentityId is null)
            {
                violations.Add("IdentityTenantIdRequiresIdentityId", request.IdentityTenantId,
                    "identityTenantId is set but identityId is not; KEDA requires identityId whenever identityTenantId is set.",
                    "Pass -IdentityId with the client id of the identity in that tenant.");
            }

            if (request.IdentityAuthorityHost is not null && string.IsNullOrEmpty(request.IdentityTenantId))
            {
                violations.Add("IdentityAuthorityHostRequiresTenantId", request.IdentityAuthorityHost,
                    "identityTenantID of PodIdentity should not be nil or empty when identityAuthorityHost of PodIdentity is set.",
                    "Pass -IdentityTenantId together with -IdentityAuthorityHost.");
            }
            else if (!string.IsNullOrWhiteSpace(request.IdentityAuthorityHost)
                && !(Uri.TryCreate(request.IdentityAuthorityHost, UriKind.Absolute, out Uri? authority) && authority.Scheme == Uri.UriSchemeHttps))
            {
                violations.Add("InvalidIdentityAuthorityHost", request.IdentityAuthorityHost, $"identityAuthorityHost {GoSyntax.Quote(request.IdentityAuthorityHost!)} is not an absolute https URL.",
                    "Pass the authority as a URL, e.g. https://login.microsoftonline.us/.");
            }

            violations.ThrowIfAny(kind + (name.Length > 0 ? $" '{name}'" : string.Empty));

            if (request.Provider == PodIdentityProvider.AzureWorkload && request.IdentityId is not null && !Guid.TryParse(request.IdentityId, out _))
            {
                host.WriteWarning($"IdentityId '{request.IdentityId}' is not a GUID. Entra client ids are GUIDs: use the ClientId of the user-assigned identity, not its name or resource id.");
            }

            if (request.Provider == PodIdentityProvider.None && (request.IdentityId ?? request.IdentityTenantId ?? request.IdentityAuthorityHost) is not null)
            {
                host.WriteWarning("Provider 'none' ignores IdentityId, IdentityTenantId and IdentityAuthorityHost.");
            }

            return new TriggerAuthentication(name, request.Namespace, request.IsClusterScoped, request.Provider,
                request.IdentityId, request.IdentityTenantId, request.IdentityAuthorityHost);
        }

        private static void CheckNotEmpty(Violations violations, string? value, string errorId, string message, string fix)
        {
            if (value is not null && value.Trim().Length == 0)
            {
                violations.Add(errorId, value, message, fix);
            }
        }
    }
}
