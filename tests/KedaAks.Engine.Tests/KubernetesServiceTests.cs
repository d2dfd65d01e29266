using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using KedaAks.Engine.Azure;
using KedaAks.Engine.Kubernetes;
using KedaAks.Engine.Resources;
using KedaAks.Sandbox;
using Xunit;

namespace KedaAks.Engine.Tests
{
    public class KubernetesServiceTests
    {
        private static readonly CancellationToken None = CancellationToken.None;

        private sealed class Cluster : IAsyncDisposable
        {
            public AzureSandbox Sandbox { get; init; } = null!;

            public KubernetesService Service { get; init; } = null!;

            public string Kubeconfig { get; init; } = null!;

            public ValueTask DisposeAsync()
            {
                File.Delete(Kubeconfig);
                return Sandbox.DisposeAsync();
            }
        }

        private static async Task<Cluster> StartAsync(bool crds = true, Action<SandboxOptions>? configure = null)
        {
            AzureSandbox sandbox = await AzureSandbox.StartAsync(o =>
            {
                o.CrdDirectory = crds ? KedaAks.Sandbox.Scenarios.SandboxFixtures.CrdDirectory() : null;
                configure?.Invoke(o);
            });
            string kubeconfig = Path.GetTempFileName();
            File.WriteAllText(kubeconfig, sandbox.Server.Kubeconfig());
            return new Cluster { Sandbox = sandbox, Service = new KubernetesService(sandbox.Service, sandbox.Options), Kubeconfig = kubeconfig };
        }

        private static Task<ClusterConnection> ConnectAsync(Cluster cluster) =>
            cluster.Service.ConnectAsync(new ClusterTarget { KubeconfigPath = new[] { cluster.Kubeconfig } }, new RecordingHost().Call(cluster.Sandbox.Settings()));

        private static ScaledObject Scaler(string name, string ns = "default", string threshold = "10") => new ResourceBuilder().NewPrometheusScaler(new PrometheusScalerRequest
        {
            Name = name, Namespace = ns, TargetName = name, ServerAddress = "http://prometheus.monitoring:9090", Query = "sum(up)", Threshold = threshold,
            TriggerAuthentication = new TriggerAuthenticationReference("prom-auth"),
        }, new RecordingHost());

        [Fact]
        public async Task A_kubeconfig_connects_and_reports_the_server_version()
        {
            await using Cluster cluster = await StartAsync(crds: false);
            ClusterConnection connection = await ConnectAsync(cluster);
            Assert.Equal(cluster.Sandbox.Server.Url, connection.Server);
            Assert.Equal("v1.33.2", connection.KubernetesVersion);
            Assert.Equal("Token", connection.AuthenticationMethod);
            Assert.DoesNotContain(cluster.Sandbox.Server.Kubernetes.Token, connection.ToString(), StringComparison.Ordinal);
        }

        [Fact]
        public void Kubeconfigs_merge_as_kubectl_merges_them()
        {
            var first = k8s.KubernetesYaml.Deserialize<k8s.KubeConfigModels.K8SConfiguration>(
                "apiVersion: v1\nkind: Config\ncurrent-context: b\nclusters:\n- name: one\n  cluster:\n    server: https://one\ncontexts: []\nusers:\n- name: u\n  user:\n    token: first\n");
            var second = k8s.KubernetesYaml.Deserialize<k8s.KubeConfigModels.K8SConfiguration>(
                "apiVersion: v1\nkind: Config\ncurrent-context: a\nclusters:\n- name: one\n  cluster:\n    server: https://ignored\n- name: two\n  cluster:\n    server: https://two\n"
                + "contexts:\n- name: b\n  context:\n    cluster: two\n    user: u\nusers:\n- name: u\n  user:\n    token: second\n");
            var merged = ClusterConnections.Merge(new[] { first, second });
            Assert.Equal("b", merged.CurrentContext);
            Assert.Equal("https://one", merged.Clusters.Single(c => c.Name == "one").ClusterEndpoint.Server);
            Assert.Equal("first", merged.Users.Single().UserCredentials.Token);
            Assert.Equal(2, merged.Clusters.Count());
        }

        [Fact]
        public async Task Arm_credentials_connect_in_memory_and_entra_clusters_get_an_aks_server_app_token()
        {
            await using Cluster local = await StartAsync(crds: false);
            ClusterConnection viaArm = await local.Service.ConnectAsync(
                new ClusterTarget { ClusterResourceId = local.Sandbox.Server.Arm.ClusterId }, new RecordingHost().Call(local.Sandbox.Settings()));
            Assert.Equal("Token", viaArm.AuthenticationMethod);
            Assert.Contains("in memory", viaArm.Source, StringComparison.Ordinal);

            await using Cluster entra = await StartAsync(crds: false, o => o.LocalAccountsDisabled = o.AadEnabled = true);
            var host = new RecordingHost();
            ClusterConnection connection = await entra.Service.ConnectAsync(new ClusterTarget { ClusterResourceId = entra.Sandbox.Server.Arm.ClusterId }, host.Call(entra.Sandbox.Settings()));
            Assert.StartsWith("Entra token", connection.AuthenticationMethod, StringComparison.Ordinal);
            Assert.Contains(host.Verbose, v => v.Contains("AKS server application", StringComparison.Ordinal));
            ServiceAccount account = await entra.Service.NewServiceAccountAsync(connection, new ServiceAccount("keda-operator", "keda", Guid.NewGuid().ToString(), null), new RecordingHost().Call());
            Assert.NotNull(account.ResourceVersion);

            var admin = await Assert.ThrowsAsync<KedaAksException>(() => entra.Service.ConnectAsync(
                new ClusterTarget { ClusterResourceId = entra.Sandbox.Server.Arm.ClusterId, Admin = true }, new RecordingHost().Call(entra.Sandbox.Settings())));
            Assert.Equal("BadRequest", admin.ErrorId);
            Assert.Contains("without -Admin", admin.RecommendedAction, StringComparison.Ordinal);
        }

        [Fact]
        public async Task The_service_account_is_applied_once_and_a_reapply_changes_nothing()
        {
            await using Cluster cluster = await StartAsync(crds: false);
            ClusterConnection connection = await ConnectAsync(cluster);
            string client = Guid.NewGuid().ToString();
            ServiceAccount first = await cluster.Service.NewServiceAccountAsync(
                connection, new ServiceAccount("keda-operator", "keda", client, cluster.Sandbox.Server.Options.TenantId), new RecordingHost().Call());
            ServiceAccount second = await cluster.Service.NewServiceAccountAsync(
                connection, new ServiceAccount("keda-operator", "keda", client, cluster.Sandbox.Server.Options.TenantId), new RecordingHost().Call());
            Assert.Equal(first.ResourceVersion, second.ResourceVersion);
            Assert.Equal((client, cluster.Sandbox.Server.Options.TenantId), (second.ClientId, second.TenantId));
            Assert.NotNull(cluster.Sandbox.Server.Kubernetes.Get("v1", "namespaces", null, "keda"));
        }

        [SkippableFact]
        public async Task Deploy_applies_each_object_reports_each_and_converges()
        {
            Skip.If(KedaAks.Sandbox.Scenarios.SandboxFixtures.CrdDirectory() is null, "../shared/fixtures is absent: KEDA's CRDs are not loaded.");
            await using Cluster cluster = await StartAsync();
            ClusterConnection connection = await ConnectAsync(cluster);
            var auth = new TriggerAuthentication("prom-auth", "default", false, PodIdentityProvider.AzureWorkload, null, null, null);
            var items = new List<DeployItem> { new() { Resource = auth } };
            items.AddRange(Enumerable.Range(0, 20).Select(i => new DeployItem { Resource = Scaler($"s{i}") }));
            IReadOnlyList<DeployOutcome> first = await cluster.Service.DeployAsync(
                connection, items, new DeployOptions { DryRun = false, Force = false, ThrottleLimit = 4 }, new RecordingHost().Call(null, None));
            Assert.All(first, o => Assert.Equal("Created", o.Result!.Action));
            Assert.Equal(20, cluster.Sandbox.Server.Kubernetes.Count("scaledobjects"));

            IReadOnlyList<DeployOutcome> again = await cluster.Service.DeployAsync(
                connection, items, new DeployOptions { DryRun = false, Force = false, ThrottleLimit = 4 }, new RecordingHost().Call(null, None));
            Assert.All(again, o => Assert.Equal("Unchanged", o.Result!.Action));

            items[1] = new DeployItem { Resource = Scaler("s0", threshold: "20") };
            IReadOnlyList<DeployOutcome> preview = await cluster.Service.DeployAsync(
                connection, items.Take(2).ToList(), new DeployOptions { DryRun = true, Force = false, ThrottleLimit = 4 }, new RecordingHost().Call(null, None));
            Assert.Equal("WouldConfigure", preview[1].Result!.Action);
            Assert.Contains("spec.triggers", preview[1].Result!.Changes);
            var stored = cluster.Sandbox.Server.Kubernetes.Get("keda.sh/v1alpha1", "scaledobjects", "default", "s0")!;
            Assert.Equal("10", stored["spec"]!["triggers"]![0]!["metadata"]!["threshold"]!.GetValue<string>());
        }

        [SkippableFact]
        public async Task Schema_rejections_and_conflicts_are_per_object_errors()
        {
            Skip.If(KedaAks.Sandbox.Scenarios.SandboxFixtures.CrdDirectory() is null, "../shared/fixtures is absent: KEDA's CRDs are not loaded.");
            await using Cluster cluster = await StartAsync();
            ClusterConnection connection = await ConnectAsync(cluster);
            string unquoted = "apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata:\n  name: bad\nspec:\n  scaleTargetRef:\n    name: web\n"
                + "  triggers:\n  - type: prometheus\n    metadata:\n      serverAddress: http://p:9090\n      query: sum(up)\n      threshold: 100\n";
            var items = new List<DeployItem> { new() { Manifest = unquoted, SourcePath = "bad.yaml" }, new() { Resource = Scaler("good") } };
            IReadOnlyList<DeployOutcome> outcomes = await cluster.Service.DeployAsync(
                connection, items, new DeployOptions { DryRun = false, Force = false, ThrottleLimit = 2 }, new RecordingHost().Call(null, None));
            Assert.Equal("InvalidObject", outcomes[0].Error!.ErrorId);
            Assert.Contains("spec.triggers[0].metadata.threshold in body must be of type string: \"integer\"", outcomes[0].Error!.Message, StringComparison.Ordinal);
            Assert.Equal("Created", outcomes[1].Result!.Action);
        }

        [SkippableFact]
        public async Task One_call_connects_then_asks_which_objects_then_applies_only_those()
        {
            Skip.If(KedaAks.Sandbox.Scenarios.SandboxFixtures.CrdDirectory() is null, "../shared/fixtures is absent: KEDA's CRDs are not loaded.");
            await using Cluster cluster = await StartAsync();
            CallContext call = new RecordingHost().Call(cluster.Sandbox.Settings());
            Task<ClusterConnection> connecting = cluster.Service.ConnectAsync(new ClusterTarget { KubeconfigPath = new[] { cluster.Kubeconfig } }, call);
            string unnamespaced = "apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata:\n  name: from-file\nspec:\n  scaleTargetRef:\n    name: web\n"
                + "  triggers:\n  - type: prometheus\n    metadata:\n      serverAddress: http://p:9090\n      query: sum(up)\n      threshold: '5'\n";
            var declinedBroken = new DeployItem { Manifest = "kind: [unclosed", SourcePath = "broken.yaml" };
            var declinedNumeric = new DeployItem { Manifest = unnamespaced.Replace("name: from-file", "name: 123", StringComparison.Ordinal), SourcePath = "numeric.yaml" };
            var declined = new DeployItem { Resource = Scaler("declined") };
            var items = new List<DeployItem> { new() { Resource = Scaler("kept") }, declinedBroken, new() { Manifest = unnamespaced, SourcePath = "so.yaml" }, declined, declinedNumeric };
            ClusterConnection? asked = null;

            IReadOnlyList<DeployOutcome> outcomes = await cluster.Service.DeployAsync(connecting, items, new DeployOptions { ThrottleLimit = 2 }, (connection, all) =>
            {
                asked = connection;
                return all.Where(i => i != declined && i != declinedBroken && i != declinedNumeric).ToList();
            }, call);

            Assert.Same(await connecting, asked);
            Assert.Equal(new[] { "kept", "from-file" }, outcomes.Select(o => o.Result!.Name));
            Assert.All(outcomes, o => Assert.Equal(("Created", "default"), (o.Result!.Action, o.Result.Namespace)));
            Assert.Null(cluster.Sandbox.Server.Kubernetes.Get("keda.sh/v1alpha1", "scaledobjects", "default", "declined"));
            Assert.NotNull(cluster.Sandbox.Server.Kubernetes.Get("keda.sh/v1alpha1", "scaledobjects", "default", "from-file"));
        }

        [Theory]
        [InlineData("name: 123", "metadata.name: 123")]
        [InlineData("name: web\n  namespace: true", "metadata.namespace: true")]
        public void A_name_that_is_not_text_is_an_invalid_manifest(string metadata, string named)
        {
            Prepared parsed = Prepared.Parse(new DeployItem
            {
                Manifest = $"apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata:\n  {metadata}\nspec:\n  scaleTargetRef:\n    name: web\n", SourcePath = "so.yaml",
            });

            Assert.Equal("InvalidManifest", parsed.Error!.ErrorId);
            Assert.Contains(named, parsed.Error.Message, StringComparison.Ordinal);
            Assert.Contains("Quote", parsed.Error.RecommendedAction, StringComparison.Ordinal);
        }

        [Fact]
        public async Task A_connection_that_fails_is_the_deploys_error_and_nothing_is_asked()
        {
            await using Cluster cluster = await StartAsync(crds: false);
            File.WriteAllText(cluster.Kubeconfig, "apiVersion: v1\nkind: Config\ncurrent-context: missing\n");
            CallContext call = new RecordingHost().Call(cluster.Sandbox.Settings());
            bool asked = false;
            var error = await Assert.ThrowsAsync<KedaAksException>(() => cluster.Service.DeployAsync(
                cluster.Service.ConnectAsync(new ClusterTarget { KubeconfigPath = new[] { cluster.Kubeconfig } }, call), new[] { new DeployItem { Manifest = "a: [" } },
                new DeployOptions(), (_, all) => { asked = true; return all; }, call));
            Assert.Equal("ContextNotFound", error.ErrorId);
            Assert.False(asked);
            Assert.DoesNotContain(cluster.Sandbox.Server.Requests, r => r.Path.StartsWith("/api", StringComparison.Ordinal) || r.Path == "/version");
        }

        [Fact]
        public async Task Without_keda_crds_deploy_says_keda_is_not_installed()
        {
            await using Cluster cluster = await StartAsync(crds: false);
            ClusterConnection connection = await ConnectAsync(cluster);
            var error = await Assert.ThrowsAsync<KedaAksException>(() => cluster.Service.DeployAsync(
                connection, new[] { new DeployItem { Resource = Scaler("s") } }, new DeployOptions { DryRun = false, Force = false, ThrottleLimit = 1 }, new RecordingHost().Call(null, None)));
            Assert.Equal(("KedaNotInstalled", KedaErrorCategory.NotInstalled), (error.ErrorId, error.Category));
            Assert.Contains("Install-KedaHelm", error.RecommendedAction, StringComparison.Ordinal);
        }

        [SkippableFact]
        public async Task Twenty_percent_injected_faults_still_converge()
        {
            Skip.If(KedaAks.Sandbox.Scenarios.SandboxFixtures.CrdDirectory() is null, "../shared/fixtures is absent: KEDA's CRDs are not loaded.");
            await using Cluster cluster = await StartAsync();
            ClusterConnection connection = await ConnectAsync(cluster);
            cluster.Sandbox.Server.SetFaults(0.2, 5);
            var items = Enumerable.Range(0, 30).Select(i => new DeployItem { Resource = Scaler($"f{i}") }).ToList();
            IReadOnlyList<DeployOutcome> outcomes = await cluster.Service.DeployAsync(
                connection, items, new DeployOptions { DryRun = false, Force = false, ThrottleLimit = 4 }, new RecordingHost().Call(null, None));
            Assert.All(outcomes, o => Assert.Null(o.Error));
            Assert.Equal(30, cluster.Sandbox.Server.Kubernetes.Count("scaledobjects"));
            Assert.True(cluster.Sandbox.Server.Requests.Count(r => r.Faulted) > 5);
        }

        [SkippableFact]
        public async Task Get_and_remove_read_back_what_was_applied()
        {
            Skip.If(KedaAks.Sandbox.Scenarios.SandboxFixtures.CrdDirectory() is null, "../shared/fixtures is absent: KEDA's CRDs are not loaded.");
            await using Cluster cluster = await StartAsync();
            ClusterConnection connection = await ConnectAsync(cluster);
            await cluster.Service.DeployAsync(
                connection, new[] { new DeployItem { Resource = Scaler("a", "default") }, new DeployItem { Resource = Scaler("b", "default") } },
                new DeployOptions { DryRun = false, Force = false, ThrottleLimit = 2 }, new RecordingHost().Call(null, None));
            IReadOnlyList<KedaResource> all = await cluster.Service.GetAsync(connection, "ScaledObject", null, new RecordingHost().Call());
            ScaledObject a = Assert.IsType<ScaledObject>(all.Single(r => r.Name == "a"));
            Assert.Equal("10", a.Triggers[0].Metadata["threshold"]);
            Assert.Equal("prom-auth", a.Triggers[0].AuthenticationRef!.Name);
            Assert.True(await cluster.Service.RemoveAsync(connection, "ScaledObject", "default", "a", new RecordingHost().Call()));
            Assert.False(await cluster.Service.RemoveAsync(connection, "ScaledObject", "default", "a", new RecordingHost().Call()));
            Assert.Single(await cluster.Service.GetAsync(connection, "ScaledObject", "default", new RecordingHost().Call()));
        }
    }
}
