using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using KedaAks.Sandbox.Arm;

namespace KedaAks.Sandbox.Kubernetes
{
    /// <summary>
    /// The fleet's clusters (<see cref="SandboxOptions.FleetClusters"/>), each its own API server: own objects, own token, its version, the webhook when
    /// ARM says workload identity is on, KEDA as its spec says (the AKS add-on in kube-system, or a Helm release in keda). Served under
    /// /fleet/&lt;name&gt;/ on the sandbox's address; the kubeconfig ARM hands out for the cluster points there.
    /// </summary>
    public sealed class FleetClusters
    {
        public const string Prefix = "/fleet/";

        private readonly Dictionary<string, (SandboxCluster Spec, KubernetesStandIn Cluster)> _clusters = new(StringComparer.OrdinalIgnoreCase);
        private readonly string? _crds;

        public FleetClusters(SandboxOptions options, ArmStandIn arm, string? crdDirectory)
        {
            _crds = crdDirectory;
            foreach (SandboxCluster spec in options.FleetClusters)
            {
                if (_clusters.ContainsKey(spec.Name) || spec.Name.Equals(options.ClusterName, StringComparison.OrdinalIgnoreCase))
                {
                    throw new ArgumentException($"Fleet cluster names must be unique in the sandbox: '{spec.Name}' is taken.", nameof(options));
                }

                if (!arm.KnownSubscriptions.ContainsKey(spec.SubscriptionId))
                {
                    throw new ArgumentException($"Fleet cluster '{spec.Name}' is in subscription {spec.SubscriptionId}, which SandboxOptions.Subscriptions does not list.", nameof(options));
                }

                string id = spec.Id;
                var cluster = new KubernetesStandIn("v" + spec.KubernetesVersion)
                {
                    ApiServerStatus = spec.ApiServerStatus,
                    TenantId = options.TenantId,
                    WorkloadIdentityEnabled = () => arm.WorkloadIdentityEnabledOf(id),
                };
                cluster.ServiceAccountTokens = new ServiceAccountTokens(() =>
                    arm.Get(id)?["properties"]?["oidcIssuerProfile"]?["issuerURL"]?.GetValue<string>() ?? ServiceAccountTokens.InClusterIssuer);
                _clusters[spec.Name] = (spec, cluster);
                if (arm.KedaAddonEnabledOf(id))
                {
                    AksKedaAddon.Apply(cluster, true, spec.KubernetesVersion, crdDirectory);
                }

                if (spec.HelmKedaVersion is { } version)
                {
                    SeedHelmKeda(cluster, version);
                }
            }
        }

        public IReadOnlyList<SandboxCluster> Specs => _clusters.Values.Select(c => c.Spec).ToList();

        public KubernetesStandIn? this[string name] => _clusters.TryGetValue(name, out var found) ? found.Cluster : null;

        /// <summary>The fleet cluster with this ARM id, if any.</summary>
        public (SandboxCluster Spec, KubernetesStandIn Cluster)? ById(string id)
        {
            foreach ((SandboxCluster Spec, KubernetesStandIn Cluster) entry in _clusters.Values)
            {
                if (entry.Spec.Id.Equals(id.TrimEnd('/'), StringComparison.OrdinalIgnoreCase))
                {
                    return entry;
                }
            }

            return null;
        }

        /// <summary>The cluster a request path is for, and the path inside its API; null when the path is not a fleet cluster's API.</summary>
        public (KubernetesStandIn Cluster, string Path)? Route(string path)
        {
            if (!path.StartsWith(Prefix, StringComparison.Ordinal))
            {
                return null;
            }

            int slash = path.IndexOf('/', Prefix.Length);
            string name = slash < 0 ? path[Prefix.Length..] : path[Prefix.Length..slash];
            string inner = slash < 0 ? "/" : path[slash..];
            return _clusters.TryGetValue(name, out var found) && KubernetesStandIn.Handles(inner) ? (found.Cluster, inner) : null;
        }

        /// <summary>A request path inside its cluster's API: a fleet cluster's without its /fleet/&lt;name&gt; prefix, the main cluster's as it is.</summary>
        public static string InnerPath(string path)
        {
            if (!path.StartsWith(Prefix, StringComparison.Ordinal))
            {
                return path;
            }

            int slash = path.IndexOf('/', Prefix.Length);
            return slash < 0 ? "/" : path[slash..];
        }

        /// <summary>ARM turned a fleet cluster's add-on on or off: AKS deploys or removes it there.</summary>
        public void AddonChanged(string id, bool enabled)
        {
            if (ById(id) is { } found)
            {
                AksKedaAddon.Apply(found.Cluster, enabled, found.Spec.KubernetesVersion, _crds);
            }
        }

        /// <summary>What 'helm install keda kedacore/keda -n keda' leaves: CRDs, the namespace, the operator's service account, three deployments, the release secret.</summary>
        private void SeedHelmKeda(KubernetesStandIn cluster, string version)
        {
            var labels = new JsonObject { ["app.kubernetes.io/managed-by"] = "Helm", ["app.kubernetes.io/part-of"] = "keda-operator", ["app.kubernetes.io/version"] = version };
            var annotations = new JsonObject { ["meta.helm.sh/release-name"] = "keda", ["meta.helm.sh/release-namespace"] = "keda" };
            if (_crds is not null && cluster.Count("customresourcedefinitions") == 0)
            {
                // The chart's CRDs carry the release's ownership, so a later 'helm upgrade' of that release adopts them, as it would in a real cluster.
                cluster.LoadCustomResourceDefinitions(_crds, new JsonObject { ["labels"] = labels.DeepClone(), ["annotations"] = annotations.DeepClone() });
            }

            cluster.Seed(new JsonObject
            {
                ["apiVersion"] = "v1", ["kind"] = "ServiceAccount",
                ["metadata"] = new JsonObject { ["name"] = "keda-operator", ["namespace"] = "keda", ["labels"] = labels.DeepClone(), ["annotations"] = annotations.DeepClone() },
            });
            foreach (string name in new[] { "keda-operator", "keda-operator-metrics-apiserver", "keda-admission-webhooks" })
            {
                var podLabels = new JsonObject { ["app"] = name };
                if (name == "keda-operator")
                {
                    podLabels["azure.workload.identity/use"] = "true";
                }

                JsonObject deploymentLabels = (JsonObject)labels.DeepClone();
                deploymentLabels["app"] = name;
                string image = name switch { "keda-operator" => "keda", "keda-operator-metrics-apiserver" => "keda-metrics-apiserver", _ => "keda-admission-webhooks" };
                cluster.Seed(new JsonObject
                {
                    ["apiVersion"] = "apps/v1", ["kind"] = "Deployment",
                    ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "keda", ["labels"] = deploymentLabels, ["annotations"] = annotations.DeepClone() },
                    ["spec"] = new JsonObject
                    {
                        ["replicas"] = 1,
                        ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
                        ["template"] = new JsonObject
                        {
                            ["metadata"] = new JsonObject { ["labels"] = podLabels },
                            ["spec"] = new JsonObject
                            {
                                ["serviceAccountName"] = name == "keda-operator" ? "keda-operator" : "default",
                                ["containers"] = new JsonArray(new JsonObject { ["name"] = name, ["image"] = $"ghcr.io/kedacore/{image}:{version}" }),
                            },
                        },
                    },
                });
            }

            var release = new JsonObject
            {
                ["name"] = "keda", ["namespace"] = "keda", ["version"] = 1,
                ["info"] = new JsonObject { ["status"] = "deployed", ["description"] = "Install complete" },
                ["chart"] = new JsonObject { ["metadata"] = new JsonObject { ["name"] = "keda", ["version"] = version, ["appVersion"] = version } },
                ["config"] = new JsonObject(), ["manifest"] = string.Empty,
            };
            using var zipped = new MemoryStream();
            using (var gzip = new GZipStream(zipped, CompressionLevel.Fastest, leaveOpen: true))
            {
                gzip.Write(Encoding.UTF8.GetBytes(release.ToJsonString()));
            }

            string helmEncoded = Convert.ToBase64String(zipped.ToArray());
            cluster.Seed(new JsonObject
            {
                ["apiVersion"] = "v1", ["kind"] = "Secret", ["type"] = "helm.sh/release.v1",
                ["metadata"] = new JsonObject
                {
                    ["name"] = "sh.helm.release.v1.keda.v1", ["namespace"] = "keda",
                    ["labels"] = new JsonObject { ["owner"] = "helm", ["name"] = "keda", ["status"] = "deployed", ["version"] = "1" },
                },
                ["data"] = new JsonObject { ["release"] = Convert.ToBase64String(Encoding.ASCII.GetBytes(helmEncoded)) },
            });
        }
    }
}
