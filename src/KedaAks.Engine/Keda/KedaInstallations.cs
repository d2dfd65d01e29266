using k8s.Models;
using KedaAks.Engine.Helm;

namespace KedaAks.Engine.Keda
{
    /// <summary>KEDA in one namespace as the cluster shows it: its deployments, the operator's version and its pod.</summary>
    internal sealed record KedaFootprint(string Namespace, IList<V1Deployment> Deployments, IReadOnlyList<KedaDeploymentStatus> Statuses, string? OperatorVersion, V1Pod? OperatorPod)
    {
        public Version? Version => KedaVersions.Parse(OperatorVersion);

        /// <summary>Whether any of KEDA's deployments is there.</summary>
        public bool Present => KedaComponents.Deployments.Any(name => Deployments.Any(d => d.Metadata.Name == name));
    }

    /// <summary>
    /// Finds KEDA however it was installed (Helm releases, the AKS add-on in kube-system, plain manifests) and
    /// describes an installation with the one health rule (<see cref="KedaComponents.IsHealthy"/>); Get-KedaInstallation,
    /// Install-KedaHelm and Test-KedaIntegration all read KEDA through here.
    /// </summary>
    internal sealed class KedaInstallations
    {
        private readonly IKubeGateway _gateway;
        private readonly Func<string, CallContext, Task<AksCluster>>? _clusterReader;

        /// <summary><paramref name="clusterReader"/> reads an AKS cluster from ARM by resource id, to confirm the add-on (null: the cluster side only).</summary>
        public KedaInstallations(IKubeGateway gateway, Func<string, CallContext, Task<AksCluster>>? clusterReader = null)
        {
            _gateway = gateway;
            _clusterReader = clusterReader;
        }

        /// <summary>KEDA's footprint in a namespace; <paramref name="deployments"/> are the namespace's, listed when null.</summary>
        public async Task<KedaFootprint> FootprintAsync(ClusterConnection connection, string ns, IList<V1Deployment>? deployments, CallContext call)
        {
            deployments ??= await _gateway.ListDeploymentsAsync(connection, ns, call).ConfigureAwait(false);
            IList<V1Pod> pods = await _gateway.ListPodsAsync(connection, ns, KedaComponents.OperatorPodSelector,
                new KubeOperation(ns, $"Listing KEDA operator pods in '{ns}'"), call).ConfigureAwait(false);
            return new KedaFootprint(ns, deployments, KedaComponents.Statuses(deployments), KedaComponents.OperatorVersion(KedaComponents.OperatorDeployment(deployments)),
                KedaComponents.OperatorPod(pods));
        }

        /// <summary>The AKS cluster behind a connection, when it came through ARM (or is given), so the add-on is confirmed from ARM.</summary>
        public async Task<AksCluster?> ClusterAsync(ClusterConnection connection, AksCluster? known, CallContext call)
        {
            if (known is not null || _clusterReader is null || connection.ClusterResourceId is null)
            {
                return known;
            }

            try
            {
                return await _clusterReader(connection.ClusterResourceId, call).ConfigureAwait(false);
            }
            catch (KedaAksException error)
            {
                call.Host.WriteVerbose($"Could not read AKS cluster '{connection.ClusterResourceId}' from ARM to confirm the KEDA add-on ({error.Message}); judging from the cluster alone.");
                return null;
            }
        }

        /// <summary>THE install-mode decision for a cluster (see <see cref="InstallModes.Decide"/>), with the installations it rests on.</summary>
        public async Task<(string Mode, IReadOnlyList<KedaInstallation> Found)> DecideAsync(ClusterConnection connection, AksCluster? cluster, CallContext call)
        {
            IReadOnlyList<KedaInstallation> found = await FindAsync(connection, cluster, call).ConfigureAwait(false);
            string mode = found.Any(i => i.InstallMethod == InstallModes.AksAddon) ? InstallModes.AksAddon
                : found.Any(i => i.InstallMethod == InstallModes.Helm) ? InstallModes.Helm
                : found.Any(i => i.InstallMethod == InstallModes.Manifests) ? InstallModes.Manifests : InstallModes.None;
            return (mode, found);
        }

        public Task<IReadOnlyList<KedaInstallation>> FindAsync(ClusterConnection connection, CallContext call) => FindAsync(connection, null, call);

        public async Task<IReadOnlyList<KedaInstallation>> FindAsync(ClusterConnection connection, AksCluster? cluster, CallContext call)
        {
            cluster = await ClusterAsync(connection, cluster, call).ConfigureAwait(false);
            bool? addon = cluster is null ? null : InstallModes.RunsAddon(cluster);
            var found = new List<KedaInstallation>();

            // Helm releases: the newest revision of each release whose chart is keda.
            IList<V1Secret> secrets = await _gateway.ListSecretsAsync(connection, ReleaseSecrets.Selector, call).ConfigureAwait(false);
            foreach (JsonNode release in secrets.Select(ReleaseSecrets.Decode).OfType<JsonNode>()
                .Where(r => r["chart"]?["metadata"]?["name"]?.GetValue<string>() == "keda")
                .GroupBy(r => (r["namespace"]?.GetValue<string>(), r["name"]?.GetValue<string>()))
                .Select(g => g.OrderByDescending(r => r["version"]?.GetValue<int>() ?? 0).First()))
            {
                var installation = new KedaInstallation
                {
                    InstallMethod = "Helm",
                    ReleaseName = release["name"]?.GetValue<string>(),
                    Namespace = release["namespace"]?.GetValue<string>() ?? string.Empty,
                    ChartVersion = release["chart"]?["metadata"]?["version"]?.GetValue<string>(),
                    AppVersion = release["chart"]?["metadata"]?["appVersion"]?.GetValue<string>(),
                    Status = release["info"]?["status"]?.GetValue<string>(),
                    Revision = release["version"]?.GetValue<int>(),
                };
                if (addon == true && installation.Namespace == AksAddonKeda.Namespace)
                {
                    installation.InstallMethod = InstallModes.AksAddon;
                }

                Describe(installation, await FootprintAsync(connection, installation.Namespace, null, call).ConfigureAwait(false), cluster);
                found.Add(installation);
            }

            // The AKS add-on (kube-system) or plain manifests: a keda-operator deployment no release accounts for.
            foreach (string ns in KedaComponents.LikelyNamespaces.Where(n => found.All(i => i.Namespace != n)))
            {
                IList<V1Deployment> deployments = await _gateway.ListDeploymentsAsync(connection, ns, call).ConfigureAwait(false);
                V1Deployment? op = KedaComponents.OperatorDeployment(deployments);
                bool addonHere = ns == AksAddonKeda.Namespace && addon == true;
                if (op is null && !addonHere)
                {
                    continue;
                }

                KedaFootprint footprint = await FootprintAsync(connection, ns, deployments, call).ConfigureAwait(false);
                string mode = ns == AksAddonKeda.Namespace
                    ? InstallModes.Decide(addon, null, helmRelease: false, operatorDeployment: op is not null, addonLabels: true)
                    : InstallModes.Manifests;
                var installation = new KedaInstallation { InstallMethod = mode, Namespace = ns, AppVersion = footprint.OperatorVersion };
                Describe(installation, footprint, cluster);
                found.Add(installation);
            }

            return found;
        }

        private static void Describe(KedaInstallation installation, KedaFootprint footprint, AksCluster? cluster)
        {
            installation.Deployments = footprint.Statuses;
            Dictionary<string, string> env = KedaComponents.Environment(footprint.OperatorPod);
            installation.ClientId = env.TryGetValue("AZURE_CLIENT_ID", out string? clientId) ? clientId : null;
            installation.TenantId = env.TryGetValue("AZURE_TENANT_ID", out string? tenantId) ? tenantId : null;
            installation.Healthy = KedaComponents.IsHealthy(footprint.Statuses, footprint.OperatorPod, installation.Status);
            var problems = KedaComponents.Problems(footprint.Statuses, footprint.OperatorPod, installation.Status);
            if (installation.InstallMethod == InstallModes.AksAddon)
            {
                installation.AddonKedaVersion = AksAddonKeda.VersionFor(cluster?.KubernetesVersion ?? null)?.ToString(3);
                if (!footprint.Present)
                {
                    problems.Insert(0, "ARM says the AKS KEDA add-on is enabled, but its deployments are not in kube-system yet (AKS deploys them after the update).");
                }
            }

            if (KedaVersions.Parse(installation.AppVersion) is { } version && !KedaVersions.IsSupported(version))
            {
                problems.Add($"KEDA {version} is older than {KedaVersions.Short(KedaVersions.Minimum)}, the first that scales on Azure Managed Prometheus with workload identity.");
            }

            installation.Problems = problems;
        }
    }
}
