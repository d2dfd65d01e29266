using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using KedaAks.Engine.Kubernetes;
using KedaAks.Engine.Resources;
using KedaAks.Sandbox;
using Xunit;

namespace KedaAks.Engine.Tests
{
    /// <summary>Deploy's scale-target pre-flight, the HPA takeover and the in-use refusal against the in-process sandbox (with KEDA's webhook and operator running).</summary>
    public class ScaleTargetPreflightTests
    {
        private static string? Crds => KedaAks.Sandbox.Scenarios.SandboxFixtures.CrdDirectory();

        private sealed class Cluster : IAsyncDisposable
        {
            public AzureSandbox Sandbox { get; init; } = null!;

            public KubernetesService Service { get; init; } = null!;

            public ClusterConnection Connection { get; set; } = null!;

            public string Kubeconfig { get; init; } = null!;

            public ValueTask DisposeAsync()
            {
                File.Delete(Kubeconfig);
                return Sandbox.DisposeAsync();
            }
        }

        private static async Task<Cluster> StartAsync(bool keda = true)
        {
            AzureSandbox sandbox = await AzureSandbox.StartAsync(o => o.CrdDirectory = Crds);
            string kubeconfig = Path.GetTempFileName();
            File.WriteAllText(kubeconfig, sandbox.Server.Kubeconfig());
            var cluster = new Cluster { Sandbox = sandbox, Service = new KubernetesService(sandbox.Service, sandbox.Options), Kubeconfig = kubeconfig };
            cluster.Connection = await cluster.Service.ConnectAsync(new ClusterTarget { KubeconfigPath = new[] { kubeconfig } }, new RecordingHost().Call(sandbox.Settings()));
            foreach (string name in keda ? new[] { "keda-operator", "keda-admission-webhooks" } : Array.Empty<string>())
            {
                sandbox.Server.Kubernetes.Seed(Deployment(name, "keda"));
            }

            sandbox.Server.Kubernetes.Seed(Deployment("web", "default"));
            return cluster;
        }

        private static JsonObject Deployment(string name, string ns) => new()
        {
            ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["spec"] = new JsonObject
            {
                ["replicas"] = 1, ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
                ["template"] = new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = name } }, ["spec"] = new JsonObject() },
            },
        };

        private static JsonObject Hpa(string name, string target) => new()
        {
            ["apiVersion"] = "autoscaling/v2", ["kind"] = "HorizontalPodAutoscaler", ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
            ["spec"] = new JsonObject
            {
                ["scaleTargetRef"] = new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["name"] = target }, ["minReplicas"] = 1, ["maxReplicas"] = 4,
            },
        };

        private static DeployItem Scaler(string name, string target = "web", string? hpaName = null, string auth = "prom-auth") => new()
        {
            Resource = new ResourceBuilder().NewPrometheusScaler(new PrometheusScalerRequest
            {
                Name = name, Namespace = "default", TargetName = target, ServerAddress = "http://prometheus.monitoring:9090", Query = "sum(up)", Threshold = "10",
                HorizontalPodAutoscalerName = hpaName, TriggerAuthentication = new TriggerAuthenticationReference(auth),
            }, new RecordingHost()),
        };

        private static Task<IReadOnlyList<DeployOutcome>> DeployAsync(Cluster cluster, RecordingHost host, bool takeOver = false, bool dryRun = false, params DeployItem[] items) =>
            cluster.Service.DeployAsync(cluster.Connection, items, new DeployOptions { TakeOverHpa = takeOver, DryRun = dryRun, ThrottleLimit = 2 }, host.Call(null, CancellationToken.None));

        [SkippableFact]
        public async Task A_missing_target_is_a_warning_naming_it_and_the_object_is_still_applied()
        {
            Skip.If(Crds is null, "../shared/fixtures is absent: KEDA's CRDs are not loaded.");
            await using Cluster cluster = await StartAsync();
            var host = new RecordingHost();
            IReadOnlyList<DeployOutcome> outcomes = await DeployAsync(cluster, host, items: Scaler("orders", target: "orders-api"));
            Assert.Equal("Created", outcomes[0].Result!.Action);
            Assert.Contains(host.Warnings, w => w.Contains("scale target Deployment 'orders-api'", StringComparison.Ordinal) && w.Contains("does not exist", StringComparison.Ordinal));
            var quiet = new RecordingHost();
            await DeployAsync(cluster, quiet, items: Scaler("web"));
            Assert.Empty(quiet.Warnings);
        }

        [SkippableFact]
        public async Task Many_missing_targets_are_three_warnings_and_one_that_counts_the_rest_read_from_one_list()
        {
            Skip.If(Crds is null, "../shared/fixtures is absent: KEDA's CRDs are not loaded.");
            await using Cluster cluster = await StartAsync();
            var host = new RecordingHost();
            DeployItem[] items = Enumerable.Range(1, 12).Select(n => Scaler($"bulk-{n}", target: $"bulk-{n}-api")).Append(Scaler("web")).ToArray();
            int before = cluster.Sandbox.Server.Requests.Count;
            IReadOnlyList<DeployOutcome> outcomes = await DeployAsync(cluster, host, items: items);
            Assert.All(outcomes, o => Assert.Equal("Created", o.Result!.Action));
            string[] warnings = host.Warnings.ToArray();
            Assert.Equal(4, warnings.Length);
            Assert.Contains("bulk-1-api", warnings[0], StringComparison.Ordinal);
            Assert.Contains("9 more ScaledObjects scale targets that do not exist: 'bulk-4' (Deployment 'bulk-4-api' in 'default')", warnings[3], StringComparison.Ordinal);
            Assert.DoesNotContain("'web'", warnings[3], StringComparison.Ordinal);
            // Thirteen targets in one namespace: the deployments are listed once, none read one by one.
            Assert.DoesNotContain(cluster.Sandbox.Server.Requests.Skip(before), r => r.Method == "GET" && r.Path.StartsWith("/apis/apps/v1/namespaces/default/deployments/", StringComparison.Ordinal));
        }

        [SkippableFact]
        public async Task A_redeploy_sends_an_apply_only_for_what_changed()
        {
            // The applier's side of the pre-flight's listings: an object the cluster proves unchanged (managedFields and values) is not sent.
            Skip.If(Crds is null, "../shared/fixtures is absent: KEDA's CRDs are not loaded.");
            await using Cluster cluster = await StartAsync();
            DeployItem[] items = Enumerable.Range(1, 10).Select(n => Scaler($"same-{n}", target: "web-" + n)).ToArray();
            await DeployAsync(cluster, new RecordingHost(), items: items);
            int before = cluster.Sandbox.Server.Requests.Count;
            DeployItem changed = Scaler("same-3", target: "web-3", auth: "other-auth");
            IReadOnlyList<DeployOutcome> again = await DeployAsync(cluster, new RecordingHost(), items: items.Select(i => i.Resource!.Name == "same-3" ? changed : i).ToArray());
            Assert.Equal(9, again.Count(o => o.Result!.Action == "Unchanged"));
            Assert.Equal("Configured", again.Single(o => o.Result!.Name == "same-3").Result!.Action);
            Assert.All(again.Where(o => o.Result!.Action == "Unchanged"), o => Assert.False(string.IsNullOrEmpty(o.Result!.ResourceVersion)));
            var patches = cluster.Sandbox.Server.Requests.Skip(before).Where(r => r.Method == "PATCH").Select(r => r.Path).ToList();
            Assert.Equal(new[] { "/apis/keda.sh/v1alpha1/namespaces/default/scaledobjects/same-3" }, patches.Select(p => p.Split('?')[0]));
        }

        [SkippableFact]
        public async Task An_object_given_twice_in_one_call_is_refused_every_copy_and_the_others_are_applied()
        {
            Skip.If(Crds is null, "../shared/fixtures is absent: KEDA's CRDs are not loaded.");
            await using Cluster cluster = await StartAsync();
            int before = cluster.Sandbox.Server.Requests.Count;
            IReadOnlyList<DeployOutcome> outcomes = await DeployAsync(cluster, new RecordingHost(),
                items: new[] { Scaler("twice", target: "web-a"), Scaler("once", target: "web-b"), Scaler("twice", target: "web-a", auth: "other-auth") });
            Assert.Equal("DuplicateResource", outcomes[0].Error!.ErrorId);
            Assert.Equal("DuplicateResource", outcomes[2].Error!.ErrorId);
            Assert.Contains("ScaledObject 'twice' in namespace 'default' is given 2 times", outcomes[0].Error!.Message, StringComparison.Ordinal);
            Assert.Equal("Created", outcomes[1].Result!.Action);
            Assert.DoesNotContain(cluster.Sandbox.Server.Requests.Skip(before), r => r.Method == "PATCH" && r.Path.Contains("/scaledobjects/twice", StringComparison.Ordinal));
        }

        [SkippableFact]
        public async Task A_target_another_hpa_scales_is_refused_naming_the_hpa_and_nothing_is_written()
        {
            Skip.If(Crds is null, "../shared/fixtures is absent: KEDA's CRDs are not loaded.");
            await using Cluster cluster = await StartAsync();
            cluster.Sandbox.Server.Kubernetes.Seed(Hpa("web-cpu", "web"));
            cluster.Sandbox.Server.ClearLog();
            IReadOnlyList<DeployOutcome> outcomes = await DeployAsync(cluster, new RecordingHost(), items: Scaler("web"));
            KedaAksException error = outcomes[0].Error!;
            Assert.Equal(("ScaleTargetHasHpa", KedaErrorCategory.ResourceExists), (error.ErrorId, error.Category));
            Assert.Contains("HPA 'web-cpu'", error.Message, StringComparison.Ordinal);
            Assert.Contains("already managed by the hpa 'web-cpu'", error.Message, StringComparison.Ordinal);
            Assert.Equal("HorizontalPodAutoscaler/default/web-cpu", error.TargetObject);
            Assert.Contains("-TakeOverHpa", error.RecommendedAction, StringComparison.Ordinal);
            Assert.Equal(0, cluster.Sandbox.Server.WriteCount);
            Assert.Null(cluster.Sandbox.Server.Kubernetes.Get("keda.sh/v1alpha1", "scaledobjects", "default", "web"));
        }

        [SkippableFact]
        public async Task TakeOverHpa_sets_the_annotation_and_the_name_and_keda_adopts_the_hpa()
        {
            Skip.If(Crds is null, "../shared/fixtures is absent: KEDA's CRDs are not loaded.");
            await using Cluster cluster = await StartAsync();
            cluster.Sandbox.Server.Kubernetes.Seed(Hpa("web-cpu", "web"));
            IReadOnlyList<DeployOutcome> preview = await DeployAsync(cluster, new RecordingHost(), takeOver: true, dryRun: true, items: Scaler("web"));
            Assert.Equal("WouldCreate", preview[0].Result!.Action);
            Assert.Null(cluster.Sandbox.Server.Kubernetes.Get("keda.sh/v1alpha1", "scaledobjects", "default", "web"));

            IReadOnlyList<DeployOutcome> outcomes = await DeployAsync(cluster, new RecordingHost(), takeOver: true, items: Scaler("web"));
            Assert.Equal("Created", outcomes[0].Result!.Action);
            JsonObject stored = cluster.Sandbox.Server.Kubernetes.Get("keda.sh/v1alpha1", "scaledobjects", "default", "web")!;
            Assert.Equal("true", stored["metadata"]!["annotations"]!["scaledobject.keda.sh/transfer-hpa-ownership"]!.GetValue<string>());
            Assert.Equal("web-cpu", stored["spec"]!["advanced"]!["horizontalPodAutoscalerConfig"]!["name"]!.GetValue<string>());
            Assert.Equal("web-cpu", Assert.IsType<ScaledObject>(outcomes[0].Result!.Resource).HorizontalPodAutoscalerName);
            JsonObject hpa = cluster.Sandbox.Server.Kubernetes.Get("autoscaling/v2", "horizontalpodautoscalers", "default", "web-cpu")!;
            Assert.Equal("web", hpa["metadata"]!["ownerReferences"]![0]!["name"]!.GetValue<string>());

            // Applied again (with or without the switch) it converges: KEDA owns the HPA now.
            Assert.Equal("Unchanged", (await DeployAsync(cluster, new RecordingHost(), takeOver: true, items: Scaler("web")))[0].Result!.Action);
            Assert.Equal("Unchanged", (await DeployAsync(cluster, new RecordingHost(), items: Scaler("web")))[0].Result!.Action);
        }

        [SkippableFact]
        public async Task TakeOverHpa_refuses_an_hpa_name_that_is_not_the_one_to_take_over()
        {
            Skip.If(Crds is null, "../shared/fixtures is absent: KEDA's CRDs are not loaded.");
            await using Cluster cluster = await StartAsync();
            cluster.Sandbox.Server.Kubernetes.Seed(Hpa("web-cpu", "web"));
            KedaAksException error = (await DeployAsync(cluster, new RecordingHost(), takeOver: true, items: Scaler("web", hpaName: "mine")))[0].Error!;
            Assert.Equal("ScaleTargetHasHpa", error.ErrorId);
            Assert.Contains("'mine'", error.Message, StringComparison.Ordinal);
        }

        [SkippableFact]
        public async Task Two_scaledobjects_on_one_target_are_refused_in_the_cluster_and_in_one_batch()
        {
            Skip.If(Crds is null, "../shared/fixtures is absent: KEDA's CRDs are not loaded.");
            await using Cluster cluster = await StartAsync(keda: false);
            IReadOnlyList<DeployOutcome> batch = await DeployAsync(cluster, new RecordingHost(), items: new[] { Scaler("a"), Scaler("b") });
            Assert.Equal("Created", batch[0].Result!.Action);
            Assert.Equal("ScaleTargetHasScaledObject", batch[1].Error!.ErrorId);
            Assert.Contains("already managed by the ScaledObject 'a'", batch[1].Error!.Message, StringComparison.Ordinal);

            KedaAksException later = (await DeployAsync(cluster, new RecordingHost(), items: Scaler("c")))[0].Error!;
            Assert.Equal("ScaleTargetHasScaledObject", later.ErrorId);
            Assert.Equal("ScaledObject/default/a", later.TargetObject);
            Assert.Equal("Unchanged", (await DeployAsync(cluster, new RecordingHost(), items: Scaler("a")))[0].Result!.Action); // itself is no second one
        }

        [SkippableFact]
        public async Task A_trigger_authentication_in_use_is_refused_naming_its_users_unless_forced()
        {
            Skip.If(Crds is null, "../shared/fixtures is absent: KEDA's CRDs are not loaded.");
            await using Cluster cluster = await StartAsync(keda: false);
            var auth = new DeployItem { Resource = new TriggerAuthentication("prom-auth", "default", false, PodIdentityProvider.AzureWorkload, null, null, null) };
            await DeployAsync(cluster, new RecordingHost(), items: new[] { auth, Scaler("web"), Scaler("other", target: "other", auth: "other-auth") });
            var host = new RecordingHost();
            var error = await Assert.ThrowsAsync<KedaAksException>(() => cluster.Service.RemoveAsync(cluster.Connection, "TriggerAuthentication", "default", "prom-auth", host.Call()));
            Assert.Equal(("TriggerAuthenticationInUse", KedaErrorCategory.InvalidOperation), (error.ErrorId, error.Category));
            Assert.Contains("ScaledObject default/web", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("other", error.Message, StringComparison.Ordinal);
            Assert.Contains("-Force", error.RecommendedAction, StringComparison.Ordinal);
            Assert.Empty(host.Questions); // refused before ShouldProcess is asked
            Assert.NotNull(cluster.Sandbox.Server.Kubernetes.Get("keda.sh/v1alpha1", "triggerauthentications", "default", "prom-auth"));
            Assert.True(await cluster.Service.RemoveAsync(cluster.Connection, "TriggerAuthentication", "default", "prom-auth", new RecordingHost().Call(), force: true));
        }

        [Theory]
        [InlineData("admission webhook \"vscaledobject.kb.io\" denied the request: the workload 'web' of type 'apps/v1.Deployment' is already managed by the hpa 'web-cpu'",
            "ScaleTargetHasHpa")]
        [InlineData("admission webhook \"vscaledobject.kb.io\" denied the request: IdleReplicaCount=2 must be less than MinReplicaCount=1", "AdmissionWebhookDenied")]
        public void A_webhook_refusal_is_its_diagnosis_not_a_permission_error(string message, string errorId)
        {
            KedaAksException error = KubernetesErrors.WebhookDenial(message, "ScaledObject/default/web", "Applying ScaledObject 'web'")!;
            Assert.Equal(errorId, error.ErrorId);
            Assert.NotEqual(KedaErrorCategory.PermissionDenied, error.Category);
            Assert.Null(KubernetesErrors.WebhookDenial("scaledobjects.keda.sh is forbidden: User \"x\" cannot create resource", "t", "a"));
        }
    }
}
