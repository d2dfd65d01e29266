namespace KedaAks.Engine.Diagnostics.Checks
{
    /// <summary>A federated credential on the identity matches KEDA's token: issuer, subject and audience, byte for byte (what the operator logged wins).</summary>
    internal sealed class FederatedCredentialCheck() : IntegrationCheck("FederatedCredential", explains: DiagnosisCodes.FederationMismatch.Append(DiagnosisCode.NoFederatedCredentials).ToArray())
    {
        public override async Task<CheckResult> RunAsync(CheckContext context)
        {
            IdentityFact fact = await CheckContext.OrDefault(context.IdentityAsync()).ConfigureAwait(false) ?? new IdentityFact(null, null);
            if (fact.Found is null || fact.Identity?.IdentityResourceId is not { } identityId)
            {
                return Skip("No identity to check.");
            }

            IntegrationRequest request = context.Request;
            string? issuer = context.Cluster?.OidcIssuerUrl ?? fact.Identity.Issuer;
            string subject = $"system:serviceaccount:{request.Namespace}:{request.ServiceAccountName}";
            string audience = ArmApi.TokenExchangeAudience;
            string seen = "expected";

            // The assertion Entra actually saw, when the operator logged it, is the best evidence.
            IReadOnlyList<Diagnosis> log = await CheckContext.OrDefault(context.OperatorLogAsync()).ConfigureAwait(false) ?? Array.Empty<Diagnosis>();
            if (log.LastOrDefault(d => DiagnosisCodes.IsFederationMismatch(d.Code) && d.Issuer is not null && d.Subject is not null) is { } logged)
            {
                (issuer, subject, audience, seen) = (logged.Issuer, logged.Subject!, logged.Audience ?? audience, "logged by the operator");
            }

            if (issuer is null)
            {
                return Skip("The cluster's OIDC issuer is unknown (see ClusterOidcIssuer).");
            }

            IReadOnlyList<FederatedCredential> credentials = await context.Azure.ListFederatedCredentialsAsync(identityId, context.Call).ConfigureAwait(false);
            var compared = credentials.Select(c => (Name: c.Name.Length > 0 ? c.Name : "?", Differences: Differences(c, issuer, subject, audience, seen))).OrderBy(c => c.Differences.Count).ToList();
            if (compared.Count == 0)
            {
                return Fail($"Identity '{fact.Identity.IdentityName}' has no federated credential.", "New-KedaWorkloadIdentity creates one for KEDA's service account.");
            }

            if (compared[0].Differences.Count == 0)
            {
                return Pass($"Federated credential '{compared[0].Name}' matches issuer {issuer}, subject {subject} and audience {audience}.");
            }

            return Fail("No federated credential matches KEDA's token: " + string.Join("; ", compared.Select(c => $"'{c.Name}': {string.Join(", ", c.Differences)}")) + ".",
                $"New-KedaWorkloadIdentity -ServiceAccountNamespace {request.Namespace} -ServiceAccountName {request.ServiceAccountName} (issuer is taken from the cluster byte for byte).",
                Catalog.Describe(new Diagnosis { Code = DiagnosisCode.FederatedCredentialMismatch, Issuer = issuer, Subject = subject, Audience = audience }));
        }

        private static List<string> Differences(FederatedCredential credential, string issuer, string subject, string audience, string seen)
        {
            var differences = new List<string>();
            if (!string.Equals(credential.Issuer, issuer, StringComparison.Ordinal))
            {
                differences.Add($"issuer is '{credential.Issuer}', KEDA's token ({seen}) says '{issuer}'{Hint(credential.Issuer, issuer)}");
            }

            if (!string.Equals(credential.Subject, subject, StringComparison.Ordinal))
            {
                differences.Add($"subject is '{credential.Subject}', KEDA's token ({seen}) says '{subject}'{Hint(credential.Subject, subject)}");
            }

            string audiences = string.Join(",", credential.Audiences);
            if (!string.Equals(audiences, audience, StringComparison.Ordinal))
            {
                differences.Add($"audience is '{audiences}', KEDA's token ({seen}) says '{audience}'");
            }

            return differences;
        }

        private static string Hint(string have, string want) =>
            string.Equals(have.TrimEnd('/'), want.TrimEnd('/'), StringComparison.Ordinal) ? " (the trailing slash differs)"
            : string.Equals(have, want, StringComparison.OrdinalIgnoreCase) ? " (only the case differs; matching is case-sensitive)"
            : string.Empty;
    }
}
