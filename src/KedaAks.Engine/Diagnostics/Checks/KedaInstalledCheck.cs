namespace KedaAks.Engine.Diagnostics.Checks
{
    /// <summary>KEDA's three deployments are in the namespace and available, at a version that works with Azure Managed Prometheus.</summary>
    internal sealed class KedaInstalledCheck() : IntegrationCheck("KedaInstalled", needsCluster: true)
    {
        public override async Task<CheckResult> RunAsync(CheckContext context)
        {
            string ns = context.Request.Namespace;
            KedaFootprint keda = await context.KedaAsync().ConfigureAwait(false);
            string all = string.Join(", ", KedaComponents.Deployments);
            if (!keda.Present)
            {
                return Fail($"KEDA is not installed in namespace '{ns}' (no {all}).", "Install-KedaHelm.");
            }

            if (keda.Version is { } old && !KedaVersions.IsSupported(old))
            {
                return Fail($"KEDA {old} is installed; Azure Managed Prometheus needs KEDA {KedaVersions.Short(KedaVersions.Minimum)} or later.",
                    $"Install-KedaHelm -Version 2.20.2 (or any {KedaVersions.Short(KedaVersions.Minimum)}+).");
            }

            var missing = keda.Statuses.Where(s => keda.Deployments.All(d => d.Metadata.Name != s.Name)).Select(s => s.Name).ToList();
            var unavailable = keda.Statuses.Where(s => !s.IsAvailable && !missing.Contains(s.Name)).Select(s => s.Name).ToList();
            if (missing.Count > 0 || unavailable.Count > 0)
            {
                return Fail($"KEDA {keda.Version} is incomplete:{(missing.Count > 0 ? $" missing {string.Join(", ", missing)};" : string.Empty)}"
                    + $"{(unavailable.Count > 0 ? $" not available {string.Join(", ", unavailable)}" : string.Empty)}.", "kubectl describe the deployments; reinstall with Install-KedaHelm.");
            }

            return Pass($"KEDA {keda.Version?.ToString() ?? "(version unknown)"}: {all} available.");
        }
    }
}
