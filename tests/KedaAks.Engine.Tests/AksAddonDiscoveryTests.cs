using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using KedaAks.Engine.Keda;
using KedaAks.Engine.Kubernetes;
using Xunit;

namespace KedaAks.Engine.Tests
{
    public class AksAddonDiscoveryTests
    {
        private static async Task<(AzureSandbox Sandbox, KubernetesService Service, ClusterConnection Connection, string Kubeconfig)> StartAsync(
            bool viaArm, System.Action<KedaAks.Sandbox.SandboxOptions> configure)
        {
            AzureSandbox sandbox = await AzureSandbox.StartAsync(configure);
            string kubeconfig = Path.GetTempFileName();
            File.WriteAllText(kubeconfig, sandbox.Server.Kubeconfig());
            var service = new KubernetesService(sandbox.Service, sandbox.Options);
            ClusterTarget target = viaArm ? new ClusterTarget { ClusterResourceId = sandbox.Server.Arm.ClusterId } : new ClusterTarget { KubeconfigPath = new[] { kubeconfig } };
            ClusterConnection connection = await service.ConnectAsync(target, new RecordingHost().Call(sandbox.Settings()));
            return (sandbox, service, connection, kubeconfig);
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public async Task The_add_on_is_found_in_kube_system_with_the_version_aks_ships(bool viaArm)
        {
            var (sandbox, service, connection, kubeconfig) = await StartAsync(viaArm, o => o.KedaAddonEnabled = true);
            await using (sandbox)
            {
                var installations = new KedaInstallations(service.Gateway, (id, call) => sandbox.Service.GetClusterAsync(id, null, null, call));
                (string mode, IReadOnlyList<KedaInstallation> found) = await installations.DecideAsync(connection, null, new RecordingHost().Call(sandbox.Settings()));
                Assert.Equal("AksAddon", mode);
                KedaInstallation addon = Assert.Single(found);
                Assert.Equal("kube-system", addon.Namespace);
                Assert.Equal("2.16.1", addon.AppVersion);
                Assert.Equal(viaArm ? "2.16.1" : null, addon.AddonKedaVersion);
                Assert.False(addon.Healthy);
                Assert.Contains(addon.Problems, p => p.Contains("workload identity webhook did not inject"));
            }

            File.Delete(kubeconfig);
        }

        [Fact]
        public async Task An_automatic_cluster_counts_as_the_add_on()
        {
            var (sandbox, service, connection, kubeconfig) = await StartAsync(true, o => o.ClusterSku = "Automatic");
            await using (sandbox)
            {
                var installations = new KedaInstallations(service.Gateway, (id, call) => sandbox.Service.GetClusterAsync(id, null, null, call));
                (string mode, _) = await installations.DecideAsync(connection, null, new RecordingHost().Call(sandbox.Settings()));
                Assert.Equal("AksAddon", mode);
                Assert.Equal(3, sandbox.Server.Kubernetes.All("deployments").Count(d => d["metadata"]!["namespace"]!.GetValue<string>() == "kube-system"));
            }

            File.Delete(kubeconfig);
        }

        [Fact]
        public async Task A_cluster_without_keda_has_install_mode_none()
        {
            var (sandbox, service, connection, kubeconfig) = await StartAsync(false, _ => { });
            await using (sandbox)
            {
                (string mode, IReadOnlyList<KedaInstallation> found) = await new KedaInstallations(service.Gateway).DecideAsync(connection, null, new RecordingHost().Call(sandbox.Settings()));
                Assert.Equal("None", mode);
                Assert.Empty(found);
            }

            File.Delete(kubeconfig);
        }
    }
}
