using KedaAks.Engine.Helm;

namespace KedaAks.Engine.GitOps
{
    /// <summary>
    /// What a bundle is made from, in this order: a piped IntegrationResult (what Install made), a piped WorkloadIdentity, -ClientId/-TenantId,
    /// and only for what is still unknown read-only ARM reads (the cluster for its add-on flag, the identity for its client id and tenant).
    /// Nothing is written anywhere; every input is checked before the first file is rendered.
    /// </summary>
    internal sealed class BundleFactsResolver
    {
        private readonly AzureService _azure;

        public BundleFactsResolver(AzureService azure) => _azure = azure;

        public async Task<BundleFacts> ResolveAsync(GitOpsBundleRequest request, CallContext call)
        {
            AksIntegrationRequest names = request.Integration;
            IntegrationResult? result = request.Result;
            WorkloadIdentity? identity = result?.WorkloadIdentity ?? request.Identity;
            string? clientId = request.ClientId ?? identity?.ClientId;
            string? tenantId = request.TenantId ?? identity?.TenantId;
            AksCluster? cluster = names.Cluster ?? result?.Cluster;
            bool clusterNamed = cluster is not null || !string.IsNullOrWhiteSpace(names.ClusterResourceId) || !string.IsNullOrWhiteSpace(names.ClusterName);

            string method = Requested(names.InstallMethod, "-InstallMethod") ?? Requested(result?.InstallMethod, "the piped result's InstallMethod")
                ?? (identity is not null && identity.ServiceAccountNamespace == AksAddonKeda.Namespace && identity.ServiceAccountName == AksAddonKeda.ServiceAccount
                    ? InstallModes.AksAddon : null)
                ?? string.Empty;
            if (method.Length == 0 && clusterNamed)
            {
                cluster ??= await ReadClusterAsync(names, call).ConfigureAwait(false);
                method = InstallModes.Effective(InstallModes.Auto, InstallModes.OfCluster(cluster));
                call.Host.WriteVerbose($"Install method {method}: cluster '{cluster.Name}' {(method == InstallModes.AksAddon ? "runs KEDA as the AKS add-on" : "has no KEDA add-on")}.");
            }
            else if (method.Length == 0)
            {
                method = InstallModes.Helm;
                call.Host.WriteVerbose("Install method Helm: no cluster, result or add-on identity says otherwise (pass -InstallMethod AksAddon for the add-on).");
            }

            if (clientId is null)
            {
                if (!clusterNamed)
                {
                    throw new KedaAksException("IdentityNotNamed", KedaErrorCategory.InvalidArgument, "The bundle needs the client id of KEDA's identity, and nothing names it.", null,
                        "Pipe the result of Install-KedaAksIntegration (or New-KedaWorkloadIdentity) in, name the cluster (-ResourceGroupName -ClusterName) so the identity "
                        + "is read from Azure, or pass -ClientId and -TenantId.");
                }

                cluster ??= await ReadClusterAsync(names, call).ConfigureAwait(false);
                (clientId, tenantId) = await ReadIdentityAsync(names, cluster, tenantId, call).ConfigureAwait(false);
            }

            if (!Guid.TryParse(clientId, out _))
            {
                throw new KedaAksException("InvalidClientId", KedaErrorCategory.InvalidArgument, $"'{clientId}' is not a client id (a GUID).", clientId,
                    "Pass the ClientId of the user-assigned identity (New-KedaWorkloadIdentity outputs it).");
            }

            if (tenantId is not null && !Guid.TryParse(tenantId, out _))
            {
                throw new KedaAksException("InvalidTenantId", KedaErrorCategory.InvalidArgument, $"'{tenantId}' is not a tenant id (a GUID).", tenantId,
                    "Pass the TenantId of the identity's Entra tenant (New-KedaWorkloadIdentity outputs it).");
            }

            (string ns, string account) = InstallModes.Operator(method,
                result?.ServiceAccount?.Namespace ?? result?.Installation?.Namespace ?? request.Identity?.ServiceAccountNamespace ?? names.Namespace,
                result?.ServiceAccount?.Name ?? request.Identity?.ServiceAccountName ?? names.ServiceAccountName);
            string subject = $"system:serviceaccount:{ns}:{account}";
            if (identity is { Subject.Length: > 0 } && identity.Subject != subject)
            {
                call.Host.WriteWarning($"Identity '{identity.IdentityName}' is federated for {identity.Subject}, but the bundle's operator runs as {subject}: "
                    + $"KEDA's token exchange fails until a federated credential names {subject} (New-KedaWorkloadIdentity -ServiceAccountNamespace {ns} -ServiceAccountName {account}).");
            }

            var facts = new BundleFacts(method, ns, account, clientId, tenantId);
            return facts.IsAddon ? facts : WithChart(facts, names, result, call);
        }

        /// <summary>The chart: its version pinned (-Version, the installed one, the -ChartPath chart's, else the newest known), its layout, the values.</summary>
        private static BundleFacts WithChart(BundleFacts facts, AksIntegrationRequest names, IntegrationResult? result, CallContext call)
        {
            var helm = new HelmInstallRequest
            {
                ReleaseName = names.ReleaseName, Namespace = facts.Namespace, ServiceAccountName = facts.ServiceAccountName, ClientId = facts.ClientId, TenantId = facts.TenantId,
                Version = names.Version, Repository = names.Repository, Set = names.Set,
            };
            _ = ChartReader.Reference(helm);  // the repository's form is checked as Install-KedaHelm checks it
            string? version = names.Version ?? (result?.InstallMethod == InstallModes.Helm ? result.Installation?.ChartVersion : null);
            bool? nested = null;
            if (names.ChartPath is { Length: > 0 } path)
            {
                ChartInfo chart = ChartReader.Read(new HelmInstallRequest { ChartPath = path }, string.Empty, path, Array.Empty<string>(), string.Empty, call.Cancellation);
                HelmPreflight.AfterChart(new HelmInstallRequest { ChartPath = path, Version = names.Version }, chart);  // ChartVersionMismatch, as Install-KedaHelm
                version ??= chart.Version;
                nested = chart.NestedServiceAccounts;
                call.Host.WriteVerbose($"Chart {chart.Name} {chart.Version} read from {path} for its version and value layout; the bundle installs it from {names.Repository}.");
            }

            if (version is null)
            {
                version = KedaChartVersions.Known[0];
                call.Host.WriteVerbose($"No chart version given: the bundle pins {version}, the newest chart this module knows (pass -Version to pin another).");
            }

            Version parsed = KedaVersions.Parse(version) ?? throw new KedaAksException("ChartVersionUnknown", KedaErrorCategory.InvalidArgument,
                $"'{version}' is not a chart version.", version, "Pass -Version with a KEDA chart version such as 2.20.2.");
            if (!KedaVersions.IsSupported(parsed))
            {
                throw new KedaAksException("KedaVersionUnsupported", KedaErrorCategory.InvalidArgument,
                    $"KEDA {parsed} cannot scale on Azure Managed Prometheus with workload identity (that needs KEDA {KedaVersions.Short(KedaVersions.Minimum)} or later).", version,
                    $"Pass -Version {KedaVersions.Minimum.Major}.{KedaVersions.Minimum.Minor}.0 or later.");
            }

            bool nestedLayout = nested ?? parsed >= KedaVersions.NestedChartLayout;
            Dictionary<string, object?> values = HelmValues.Build(helm, nestedLayout, chartCreatesAccount: false);
            call.Host.WriteVerbose($"Chart {version}: value layout {(nestedLayout ? "serviceAccount.operator.*" : "serviceAccount.*")} "
                + $"(chart {KedaVersions.Short(KedaVersions.NestedChartLayout)} nested it); the bundle's ServiceAccount is the operator's, so the chart does not create it.");
            string release = (result?.InstallMethod == InstallModes.Helm ? result.Installation?.ReleaseName : null) ?? names.ReleaseName;
            return facts with
            {
                ReleaseName = release, ChartVersion = version, NestedLayout = nestedLayout, Chart = ChartSource.From(names.Repository), Values = values,
            };
        }

        private Task<AksCluster> ReadClusterAsync(AksIntegrationRequest names, CallContext call) =>
            _azure.GetClusterAsync(names.ClusterResourceId, names.ResourceGroupName, names.ClusterName, call);

        private async Task<(string ClientId, string? TenantId)> ReadIdentityAsync(AksIntegrationRequest names, AksCluster cluster, string? tenantId, CallContext call)
        {
            string group = names.IdentityResourceGroupName ?? cluster.ResourceGroupName;
            string id = ResourceIds.Identity(cluster.SubscriptionId, group, names.IdentityName);
            UserAssignedIdentity found = await _azure.GetIdentityAsync(id, call).ConfigureAwait(false)
                ?? throw new KedaAksException("IdentityNotFound", KedaErrorCategory.ObjectNotFound, $"Identity '{names.IdentityName}' does not exist in resource group '{group}'.", id,
                    "Run Install-KedaAksIntegration (or New-KedaWorkloadIdentity) first, pass -IdentityName/-IdentityResourceGroupName of the identity KEDA uses, or -ClientId.");
            call.Host.WriteVerbose($"Identity {found.Name}: client id {found.ClientId}, tenant {found.TenantId}.");
            return (found.ClientId ?? string.Empty, tenantId ?? found.TenantId);
        }

        /// <summary>Helm or AksAddon when asked for; null for Auto or nothing.</summary>
        private static string? Requested(string? method, string what) => method switch
        {
            null or "" => null,
            _ when method.Equals(InstallModes.Auto, StringComparison.OrdinalIgnoreCase) => null,
            _ when method.Equals(InstallModes.Helm, StringComparison.OrdinalIgnoreCase) => InstallModes.Helm,
            _ when method.Equals(InstallModes.AksAddon, StringComparison.OrdinalIgnoreCase) => InstallModes.AksAddon,
            _ => throw new KedaAksException("InvalidInstallMethod", KedaErrorCategory.InvalidArgument, $"{what} '{method}' is not Auto, Helm or AksAddon.", method,
                "Pass -InstallMethod Auto, Helm or AksAddon."),
        };
    }
}
