using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using k8s.Models;
using KedaAks.Engine.Helm;
using KedaAks.Engine.Kubernetes;

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

        public KedaInstallations(IKubeGateway gateway) => _gateway = gateway;

        /// <summary>KEDA's footprint in a namespace; <paramref name="deployments"/> are the namespace's, listed when null.</summary>
        public async Task<KedaFootprint> FootprintAsync(ClusterConnection connection, string ns, IList<V1Deployment>? deployments, CallContext call)
        {
            deployments ??= await _gateway.ListDeploymentsAsync(connection, ns, call).ConfigureAwait(false);
            IList<V1Pod> pods = await _gateway.ListPodsAsync(connection, ns, KedaComponents.OperatorPodSelector,
                new KubeOperation(ns, $"Listing KEDA operator pods in '{ns}'"), call).ConfigureAwait(false);
            return new KedaFootprint(ns, deployments, KedaComponents.Statuses(deployments), KedaComponents.OperatorVersion(KedaComponents.OperatorDeployment(deployments)),
                KedaComponents.OperatorPod(pods));
        }

        public async Task<IReadOnlyList<KedaInstallation>> FindAsync(ClusterConnection connection, CallContext call)
        {
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
                Describe(installation, await FootprintAsync(connection, installation.Namespace, null, call).ConfigureAwait(false));
                found.Add(installation);
            }

            // The AKS add-on (kube-system) or plain manifests: a keda-operator deployment no release accounts for.
            foreach (string ns in KedaComponents.LikelyNamespaces.Where(n => found.All(i => i.Namespace != n)))
            {
                IList<V1Deployment> deployments = await _gateway.ListDeploymentsAsync(connection, ns, call).ConfigureAwait(false);
                if (KedaComponents.OperatorDeployment(deployments) is null)
                {
                    continue;
                }

                KedaFootprint footprint = await FootprintAsync(connection, ns, deployments, call).ConfigureAwait(false);
                var installation = new KedaInstallation { InstallMethod = ns == "kube-system" ? "AksAddon" : "Manifests", Namespace = ns, AppVersion = footprint.OperatorVersion };
                Describe(installation, footprint);
                found.Add(installation);
            }

            return found;
        }

        private static void Describe(KedaInstallation installation, KedaFootprint footprint)
        {
            installation.Deployments = footprint.Statuses;
            Dictionary<string, string> env = KedaComponents.Environment(footprint.OperatorPod);
            installation.ClientId = env.TryGetValue("AZURE_CLIENT_ID", out string? clientId) ? clientId : null;
            installation.TenantId = env.TryGetValue("AZURE_TENANT_ID", out string? tenantId) ? tenantId : null;
            installation.Healthy = KedaComponents.IsHealthy(footprint.Statuses, footprint.OperatorPod, installation.Status);
        }
    }
}
