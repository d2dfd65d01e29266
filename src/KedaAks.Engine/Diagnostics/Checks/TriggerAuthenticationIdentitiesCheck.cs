namespace KedaAks.Engine.Diagnostics.Checks
{
    /// <summary>
    /// Every identity a (Cluster)TriggerAuthentication names in <c>spec.podIdentity.identityId</c> (provider azure-workload) has a federated
    /// credential for KEDA's operator service account: KEDA's operator requests the token, so each override identity needs its own credential
    /// (issuer = the cluster's OIDC issuer, subject = the operator's service account, audience api://AzureADTokenExchange). Warns when an
    /// identity is not in the subscription or is near Entra's limit of 20 federated credentials per identity.
    /// </summary>
    internal sealed class TriggerAuthenticationIdentitiesCheck() : IntegrationCheck("TriggerAuthenticationIdentities", needsCluster: true)
    {
        /// <summary>Entra's limit of federated identity credentials on one user-assigned identity.</summary>
        internal const int CredentialLimit = 20;

        /// <summary>From this many credentials an identity is reported as near the limit.</summary>
        internal const int NearLimit = 18;

        private const string DefaultCredentialName = "kedaFedIdentity";

        public override async Task<CheckResult> RunAsync(CheckContext context)
        {
            if (context.Cluster is not { } cluster)
            {
                return Skip("No AKS cluster given: its OIDC issuer and the subscription to find the identities in are unknown.");
            }

            if (await context.TriggerAuthenticationsAsync().ConfigureAwait(false) is not { } auths)
            {
                return Skip("KEDA's CRDs are not installed.");
            }

            var overrides = auths.OfType<TriggerAuthentication>()
                .Where(a => a.Provider == PodIdentityProvider.AzureWorkload && !string.IsNullOrWhiteSpace(a.IdentityId))
                .GroupBy(a => a.IdentityId!.Trim(), StringComparer.OrdinalIgnoreCase).ToList();
            if (overrides.Count == 0)
            {
                return Pass("No TriggerAuthentication overrides the identity (spec.podIdentity.identityId): they use the one on KEDA's service account.");
            }

            if (string.IsNullOrEmpty(cluster.OidcIssuerUrl))
            {
                return Skip("The cluster's OIDC issuer is unknown (see ClusterOidcIssuer).");
            }

            string subscription = cluster.SubscriptionId.Length > 0 ? cluster.SubscriptionId : context.Call.Azure.SubscriptionId ?? string.Empty;
            var expected = new Expected(cluster, cluster.OidcIssuerUrl, $"system:serviceaccount:{context.Request.Namespace}:{context.Request.ServiceAccountName}", context.Request);
            var missing = new List<string>();
            var remedies = new List<string>();
            var warnings = new List<string>();
            var passed = new List<string>();
            foreach (IGrouping<string, TriggerAuthentication> group in overrides)
            {
                string usedBy = string.Join(", ", group.Select(a => a.ToString()));
                UserAssignedIdentity? identity = await context.Azure.FindIdentityByClientIdAsync(subscription, group.Key, context.Call).ConfigureAwait(false);
                if (identity is null)
                {
                    warnings.Add($"identityId {group.Key} (used by {usedBy}) is not an identity in subscription {subscription}");
                    continue;
                }

                IReadOnlyList<FederatedCredential> credentials = await context.Azure.ListFederatedCredentialsAsync(identity.Id, context.Call).ConfigureAwait(false);
                bool full = credentials.Count >= CredentialLimit;
                if (!credentials.Any(expected.Matches))
                {
                    missing.Add($"identityId {group.Key} (identity '{identity.Name}', used by {usedBy}) has no federated credential for subject {expected.Subject}"
                        + (full ? $" and already has {credentials.Count}, Entra's limit" : string.Empty));
                    remedies.Add(expected.Remedy(identity, credentials, full));
                }
                else
                {
                    passed.Add($"'{identity.Name}'");
                }

                if (credentials.Count >= NearLimit && !full)
                {
                    warnings.Add($"identity '{identity.Name}' has {credentials.Count} of Entra's {CredentialLimit} federated credentials per identity");
                }
            }

            string others = warnings.Count > 0 ? " Also: " + string.Join("; ", warnings) + "." : string.Empty;
            if (missing.Count > 0)
            {
                return Fail($"KEDA's operator cannot get a token for {string.Join("; ", missing)} (issuer {expected.Issuer}, audience {ArmApi.TokenExchangeAudience}).{others}",
                    string.Join(" ", remedies));
            }

            if (warnings.Count > 0)
            {
                return Warn(char.ToUpperInvariant(warnings[0][0]) + string.Join("; ", warnings)[1..] + "."
                    + (passed.Count > 0 ? $" {string.Join(", ", passed)} have a federated credential for subject {expected.Subject}." : string.Empty),
                    "Check each TriggerAuthentication's identityId (the identity's client id, az identity show --query clientId); near the limit, delete "
                    + "unused credentials (az identity federated-credential list/delete) or use another identity.");
            }

            return Pass($"Every identity a TriggerAuthentication overrides ({string.Join(", ", passed)}) has a federated credential for issuer {expected.Issuer}, "
                + $"subject {expected.Subject} and audience {ArmApi.TokenExchangeAudience}.");
        }

        /// <summary>The credential KEDA's operator token needs, and how to create it.</summary>
        private sealed record Expected(AksCluster Cluster, string Issuer, string Subject, IntegrationRequest Request)
        {
            public bool Matches(FederatedCredential credential) =>
                string.Equals(credential.Issuer, Issuer, StringComparison.Ordinal) && string.Equals(credential.Subject, Subject, StringComparison.Ordinal)
                && credential.Audiences.Contains(ArmApi.TokenExchangeAudience, StringComparer.Ordinal);

            public string Remedy(UserAssignedIdentity identity, IReadOnlyList<FederatedCredential> credentials, bool full)
            {
                // A name already taken would be overwritten (that credential may serve another workload): take a free one.
                string name = credentials.Any(c => string.Equals(c.Name, DefaultCredentialName, StringComparison.OrdinalIgnoreCase))
                    ? $"keda-{Request.Namespace}-{Request.ServiceAccountName}" : DefaultCredentialName;
                string group = ResourceGroupOf(identity.Id);
                return (full ? $"First delete an unused credential of '{identity.Name}' (az identity federated-credential delete), then: " : $"For '{identity.Name}': ")
                    + $"New-KedaWorkloadIdentity {(Cluster.ResourceGroupName.Length > 0 ? $"-ResourceGroupName {Cluster.ResourceGroupName} " : string.Empty)}"
                    + $"-ClusterName {Cluster.Name} -IdentityName {identity.Name} "
                    + $"-IdentityResourceGroupName {group} -FederatedCredentialName {name} -ServiceAccountNamespace {Request.Namespace} -ServiceAccountName {Request.ServiceAccountName}, "
                    + $"or az identity federated-credential create --identity-name {identity.Name} --resource-group {group} --name {name} --issuer {Issuer} "
                    + $"--subject {Subject} --audiences {ArmApi.TokenExchangeAudience}.";
            }

            private static string ResourceGroupOf(string id)
            {
                string[] parts = id.Split('/', StringSplitOptions.RemoveEmptyEntries);
                int at = Array.FindIndex(parts, p => p.Equals("resourceGroups", StringComparison.OrdinalIgnoreCase));
                return at >= 0 && at + 1 < parts.Length ? parts[at + 1] : "<resource group>";
            }
        }
    }
}
