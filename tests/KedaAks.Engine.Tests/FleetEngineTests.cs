using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using KedaAks.Sandbox.Scenarios;
using Xunit;

namespace KedaAks.Engine.Tests
{
    /// <summary>The engine over the sandbox's fleet: every cluster its own connection, the install-mode decision per cluster, results named by cluster.</summary>
    public class FleetEngineTests
    {
        private static async Task<(AzureSandbox Sandbox, IKedaAksEngine Engine, IReadOnlyList<AksCluster> Clusters)> FleetAsync()
        {
            AzureSandbox sandbox = await AzureSandbox.StartAsync(o =>
            {
                SandboxScenarios.Apply(o, SandboxScenarios.Fleet);
                o.ResourceGraphQuota = 100;
            });
            var engine = new KedaAksEngine(sandbox.Options);
            IReadOnlyList<AksCluster> clusters = await engine.Azure.SearchClustersAsync(new ClusterSearchRequest { ManagementGroups = new[] { "kedaaks-fleet" } },
                new RecordingHost().Call(sandbox.Settings()));
            return (sandbox, engine, clusters);
        }

        [Fact]
        public async Task Each_fleet_cluster_is_reached_through_its_own_kubeconfig_and_keeps_its_own_objects()
        {
            var (sandbox, engine, clusters) = await FleetAsync();
            await using (sandbox)
            {
                var connections = new Dictionary<string, ClusterConnection>();
                foreach (AksCluster cluster in clusters.Where(c => c.Name != "fleet-down"))
                {
                    connections[cluster.Name] = await engine.Kubernetes.ConnectAsync(new ClusterTarget { Cluster = cluster }, new RecordingHost().Call(sandbox.Settings()));
                }

                Assert.Equal(5, connections.Values.Select(c => c.Handle).Distinct().Count());
                Assert.All(connections, pair => Assert.EndsWith("/fleet/" + pair.Key, pair.Value.Server, StringComparison.Ordinal));
                Assert.Equal("v1.32.6", connections["fleet-no-oidc"].KubernetesVersion);
                Assert.Equal("v1.34.1", connections["fleet-wi-off"].KubernetesVersion);

                var down = await Assert.ThrowsAsync<KedaAksException>(() =>
                    engine.Kubernetes.ConnectAsync(new ClusterTarget { Cluster = clusters.Single(c => c.Name == "fleet-down") }, new RecordingHost().Call(sandbox.Settings())));
                Assert.Contains("502", down.Message, StringComparison.Ordinal);
            }
        }

        [Theory]
        [InlineData("fleet-addon", "Auto", "AksAddon", "kube-system")]
        [InlineData("fleet-automatic", "Auto", "AksAddon", "kube-system")]
        [InlineData("fleet-helm", "Auto", "Helm", "keda")]
        [InlineData("fleet-no-oidc", "Auto", "Helm", "keda")]
        [InlineData("fleet-addon", "Helm", "Helm", "keda")]
        [InlineData("fleet-no-oidc", "AksAddon", "AksAddon", "kube-system")]
        public async Task The_engine_decides_where_the_operator_is(string name, string requested, string mode, string ns)
        {
            var (sandbox, engine, clusters) = await FleetAsync();
            await using (sandbox)
            {
                AksCluster cluster = clusters.Single(c => c.Name == name);
                ClusterConnection connection = await engine.Kubernetes.ConnectAsync(new ClusterTarget { Cluster = cluster }, new RecordingHost().Call(sandbox.Settings()));
                OperatorLocation where = await engine.Addon.LocateOperatorAsync(connection, cluster, requested, "keda", "my-operator", new RecordingHost().Call(sandbox.Settings()));
                Assert.Equal((mode, ns, mode == "AksAddon" ? "keda-operator" : "my-operator"), (where.InstallMethod, where.Namespace, where.ServiceAccountName));
            }
        }

        [Fact]
        public async Task Without_arm_flags_an_unreachable_cluster_is_a_helm_install_to_come_said_in_verbose()
        {
            var (sandbox, engine, clusters) = await FleetAsync();
            await using (sandbox)
            {
                AksCluster helm = clusters.Single(c => c.Name == "fleet-helm");
                ClusterConnection connection = await engine.Kubernetes.ConnectAsync(new ClusterTarget { Cluster = helm }, new RecordingHost().Call(sandbox.Settings()));
                sandbox.Server.Fleet["fleet-helm"]!.ApiServerStatus = 502;
                var host = new RecordingHost();
                OperatorLocation where = await engine.Addon.LocateOperatorAsync(connection, null, "Auto", "keda", "keda-operator", host.Call(sandbox.Settings()));
                Assert.Equal(("Helm", "keda"), (where.InstallMethod, where.Namespace));
                Assert.Contains(host.Verbose, v => v.StartsWith("Could not tell how KEDA is installed", StringComparison.Ordinal));
                OperatorLocation none = await engine.Addon.LocateOperatorAsync(null, null, "Auto", "keda", "keda-operator", host.Call(sandbox.Settings()));
                Assert.Equal("Helm", none.InstallMethod);
            }
        }

        [Fact]
        public async Task Results_name_their_cluster_and_a_summary_takes_the_worst_status()
        {
            var (sandbox, engine, clusters) = await FleetAsync();
            await using (sandbox)
            {
                AksCluster cluster = clusters.Single(c => c.Name == "fleet-no-oidc");
                CallContext call = new RecordingHost().Call(sandbox.Settings());
                ClusterConnection connection = await engine.Kubernetes.ConnectAsync(new ClusterTarget { Cluster = cluster }, call);
                IReadOnlyList<CheckResult> results = await engine.Integration.RunAsync(new IntegrationRequest { Cluster = cluster, Connection = connection }, call);
                Assert.All(results, r => Assert.Equal(("fleet-no-oidc", cluster.ResourceId), (r.Cluster, r.ClusterResourceId)));

                IntegrationSummary summary = engine.Integration.Summarize(cluster, results);
                Assert.Equal(("fleet-no-oidc", "fleet-a", CheckStatus.Fail), (summary.Cluster, summary.ResourceGroupName, summary.Status));
                Assert.Equal(results.Count, summary.Passed + summary.Warnings + summary.Failed + summary.Skipped);
                Assert.Equal(results.Where(r => r.Status == CheckStatus.Fail).Select(r => r.Check), summary.FailedChecks);
                Assert.Contains("ClusterOidcIssuer", summary.FailedChecks);

                var passing = new[] { new CheckResult { Check = "A", Status = CheckStatus.Pass }, new CheckResult { Check = "B", Status = CheckStatus.Skipped } };
                Assert.Equal(CheckStatus.Pass, engine.Integration.Summarize(null, passing).Status);
                Assert.Equal(CheckStatus.Warning, engine.Integration.Summarize(null, passing.Append(new CheckResult { Status = CheckStatus.Warning }).ToList()).Status);
                Assert.Equal(CheckStatus.Skipped, engine.Integration.Summarize(null, new[] { passing[1] }).Status);
            }
        }

        [Fact]
        public async Task Enabling_the_add_on_of_a_fleet_cluster_deploys_keda_into_that_cluster_only()
        {
            var (sandbox, engine, clusters) = await FleetAsync();
            await using (sandbox)
            {
                AksCluster cluster = clusters.Single(c => c.Name == "fleet-no-oidc");
                AksCluster enabled = await engine.Addon.EnableAsync(cluster, null, null, null, null, force: false, new RecordingHost().Call(sandbox.Settings()));
                Assert.True(enabled.KedaAddonEnabled);
                int KubeSystemKeda(string name) => sandbox.Server.Fleet[name]!.All("deployments")
                    .Count(d => d["metadata"]!["namespace"]!.GetValue<string>() == "kube-system" && d["metadata"]!["name"]!.GetValue<string>().StartsWith("keda-", StringComparison.Ordinal));
                Assert.Equal(3, KubeSystemKeda("fleet-no-oidc"));
                Assert.Equal(0, KubeSystemKeda("fleet-helm"));
                Assert.Equal(0, sandbox.Server.Kubernetes.All("deployments").Count(d => d["metadata"]!["name"]!.GetValue<string>().StartsWith("keda-", StringComparison.Ordinal)));
            }
        }
    }
}
