namespace KedaAks.Engine.Diagnostics.Checks
{
    /// <summary>No (Cluster)TriggerAuthentication uses a pod identity provider the installed KEDA no longer has.</summary>
    internal sealed class TriggerAuthenticationProvidersCheck() : IntegrationCheck("TriggerAuthenticationProviders", needsCluster: true, explains: [DiagnosisCode.PodIdentityProviderUnsupported])
    {
        public override async Task<CheckResult> RunAsync(CheckContext context)
        {
            if (await context.TriggerAuthenticationsAsync().ConfigureAwait(false) is not { } auths)
            {
                return Skip("KEDA's CRDs are not installed.");
            }

            Version? version = (await CheckContext.OrDefault(context.KedaAsync()).ConfigureAwait(false))?.Version;
            var removed = auths.OfType<TriggerAuthentication>().Where(a => a.Provider == PodIdentityProvider.Azure && KedaVersions.LacksAzurePodIdentity(version)).ToList();
            if (removed.Count > 0)
            {
                return Fail($"{string.Join(", ", removed.Select(a => a.ToString()))} use provider azure (AAD Pod Identity), removed in KEDA "
                    + $"{KedaVersions.Short(KedaVersions.AzurePodIdentityRemoved)}.",
                    "Recreate them with -Provider AzureWorkload (New-KedaTriggerAuthentication).");
            }

            return Pass($"{auths.Count} TriggerAuthentication(s); every provider is supported by KEDA {version?.ToString() ?? string.Empty}.".Replace("  ", " ", StringComparison.Ordinal));
        }
    }
}
