using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Threading.Tasks;
using k8s;
using k8s.Autorest;
using k8s.Models;
using KedaAks.Sandbox;
using Xunit;

namespace KedaAks.Sandbox.Tests
{
    /// <summary>The Kubernetes stand-in behaves like an API server, as KubernetesClient sees it.</summary>
    public class KubernetesStandInTests
    {
        internal static string? CrdDirectory() => KedaAks.Sandbox.Scenarios.SandboxFixtures.CrdDirectory();

        private static async Task<(SandboxServer Server, k8s.Kubernetes Client)> StartAsync(bool crds = false, bool entraOnly = false)
        {
            var server = new SandboxServer(new SandboxOptions { CrdDirectory = crds ? CrdDirectory() : null, LocalAccountsDisabled = entraOnly, AadEnabled = entraOnly });
            await server.StartAsync();
            var client = new k8s.Kubernetes(new KubernetesClientConfiguration
            {
                Host = server.Url,
                AccessToken = server.Kubernetes.Token,
                SslCaCerts = new X509Certificate2Collection(server.Certificates.Authority),
            });
            return (server, client);
        }

        private static object ScaledObject(object threshold, string name = "s", int max = 10) => new
        {
            apiVersion = "keda.sh/v1alpha1",
            kind = "ScaledObject",
            metadata = new { name, @namespace = "default" },
            spec = new
            {
                scaleTargetRef = new { name = "web" },
                maxReplicaCount = max,
                triggers = new[] { new { type = "prometheus", metadata = new { serverAddress = "http://prometheus:9090", query = "sum(up)", threshold } } },
            },
        };

        [Fact]
        public async Task Server_side_apply_creates_then_a_same_apply_changes_nothing()
        {
            (SandboxServer server, k8s.Kubernetes client) = await StartAsync();
            await using (server)
            {
                var account = new V1ServiceAccount
                {
                    ApiVersion = "v1", Kind = "ServiceAccount",
                    Metadata = new V1ObjectMeta
                    {
                        Name = "keda-operator", NamespaceProperty = "default",
                        Annotations = new System.Collections.Generic.Dictionary<string, string> { ["azure.workload.identity/client-id"] = "abc" },
                    },
                };
                V1ServiceAccount first = await client.CoreV1.PatchNamespacedServiceAccountAsync(
                    new V1Patch(account, V1Patch.PatchType.ApplyPatch), "keda-operator", "default", fieldManager: "kedaaks");
                V1ServiceAccount second = await client.CoreV1.PatchNamespacedServiceAccountAsync(
                    new V1Patch(account, V1Patch.PatchType.ApplyPatch), "keda-operator", "default", fieldManager: "kedaaks");
                Assert.Equal(first.Metadata.ResourceVersion, second.Metadata.ResourceVersion);
                Assert.Equal("abc", second.Metadata.Annotations["azure.workload.identity/client-id"]);
                Assert.Contains(second.Metadata.ManagedFields, f => f.Manager == "kedaaks" && f.Operation == "Apply");
            }
        }

        [Fact]
        public async Task Missing_namespaces_and_objects_are_404_status_bodies()
        {
            (SandboxServer server, k8s.Kubernetes client) = await StartAsync();
            await using (server)
            {
                var missing = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ReadNamespacedServiceAccountAsync("nope", "default"));
                Assert.Equal(HttpStatusCode.NotFound, missing.Response.StatusCode);
                Assert.Contains("serviceaccounts \\\"nope\\\" not found", missing.Response.Content, StringComparison.Ordinal);

                var account = new V1ServiceAccount { ApiVersion = "v1", Kind = "ServiceAccount", Metadata = new V1ObjectMeta { Name = "a", NamespaceProperty = "keda" } };
                var noNamespace = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.CreateNamespacedServiceAccountAsync(account, "keda"));
                Assert.Contains("namespaces \\\"keda\\\" not found", noNamespace.Response.Content, StringComparison.Ordinal);
            }
        }

        [Fact]
        public async Task A_stale_resource_version_is_a_conflict()
        {
            (SandboxServer server, k8s.Kubernetes client) = await StartAsync();
            await using (server)
            {
                V1ConfigMap created = await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
                {
                    ApiVersion = "v1", Kind = "ConfigMap", Metadata = new V1ObjectMeta { Name = "c" }, Data = new System.Collections.Generic.Dictionary<string, string> { ["a"] = "1" },
                }, "default");
                created.Data["a"] = "2";
                await client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "c", "default");
                created.Data["a"] = "3";
                var conflict = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "c", "default"));
                Assert.Equal(HttpStatusCode.Conflict, conflict.Response.StatusCode);
                Assert.Contains("the object has been modified", conflict.Response.Content, StringComparison.Ordinal);
            }
        }

        [SkippableFact]
        public async Task Keda_objects_are_validated_against_the_real_crd_schemas()
        {
            Skip.If(CrdDirectory() is null, "../shared/fixtures is absent: KEDA's CRDs are not loaded.");
            (SandboxServer server, k8s.Kubernetes client) = await StartAsync(crds: true);
            await using (server)
            {
                await client.CustomObjects.CreateNamespacedCustomObjectAsync(ScaledObject("10"), "keda.sh", "v1alpha1", "default", "scaledobjects");
                var unquoted = await Assert.ThrowsAsync<HttpOperationException>(() =>
                    client.CustomObjects.CreateNamespacedCustomObjectAsync(ScaledObject(10, "t"), "keda.sh", "v1alpha1", "default", "scaledobjects"));
                Assert.Equal(422, (int)unquoted.Response.StatusCode);
                Assert.Contains(
                    "ScaledObject.keda.sh \\\"t\\\" is invalid: spec.triggers[0].metadata.threshold: Invalid value: \\\"integer\\\": "
                        + "spec.triggers[0].metadata.threshold in body must be of type string: \\\"integer\\\"",
                    unquoted.Response.Content, StringComparison.Ordinal);

                var auth = new { apiVersion = "keda.sh/v1alpha1", kind = "TriggerAuthentication", metadata = new { name = "a" }, spec = new { podIdentity = new { provider = "azure" } } };
                var provider = await Assert.ThrowsAsync<HttpOperationException>(() =>
                    client.CustomObjects.CreateNamespacedCustomObjectAsync(auth, "keda.sh", "v1alpha1", "default", "triggerauthentications"));
                Assert.Contains(
                    "spec.podIdentity.provider: Unsupported value: \\\"azure\\\": supported values: \\\"azure-workload\\\", \\\"gcp\\\", \\\"aws\\\", \\\"aws-eks\\\", \\\"none\\\"",
                    provider.Response.Content, StringComparison.Ordinal);
            }
        }

        [SkippableFact]
        public async Task Apply_conflicts_with_another_manager_unless_forced_and_dry_run_persists_nothing()
        {
            Skip.If(CrdDirectory() is null, "../shared/fixtures is absent: KEDA's CRDs are not loaded.");
            (SandboxServer server, k8s.Kubernetes client) = await StartAsync(crds: true);
            await using (server)
            {
                await client.CustomObjects.PatchNamespacedCustomObjectAsync(
                    new V1Patch(ScaledObject("10"), V1Patch.PatchType.ApplyPatch), "keda.sh", "v1alpha1", "default", "scaledobjects", "s", fieldManager: "kubectl");
                var conflict = await Assert.ThrowsAsync<HttpOperationException>(() => client.CustomObjects.PatchNamespacedCustomObjectAsync(
                    new V1Patch(ScaledObject("10", max: 20), V1Patch.PatchType.ApplyPatch), "keda.sh", "v1alpha1", "default", "scaledobjects", "s", fieldManager: "kedaaks"));
                Assert.Equal(HttpStatusCode.Conflict, conflict.Response.StatusCode);
                Assert.Contains("conflict with \\\"kubectl\\\": .spec.maxReplicaCount", conflict.Response.Content, StringComparison.Ordinal);

                await client.CustomObjects.PatchNamespacedCustomObjectAsync(
                    new V1Patch(ScaledObject("10", max: 30), V1Patch.PatchType.ApplyPatch), "keda.sh", "v1alpha1", "default", "scaledobjects", "s",
                    fieldManager: "kedaaks", force: true, dryRun: "All");
                JsonElement stored = (JsonElement)await client.CustomObjects.GetNamespacedCustomObjectAsync("keda.sh", "v1alpha1", "default", "scaledobjects", "s");
                Assert.Equal(10, stored.GetProperty("spec").GetProperty("maxReplicaCount").GetInt32());

                await client.CustomObjects.PatchNamespacedCustomObjectAsync(
                    new V1Patch(ScaledObject("10", max: 20), V1Patch.PatchType.ApplyPatch), "keda.sh", "v1alpha1", "default", "scaledobjects", "s",
                    fieldManager: "kedaaks", force: true);
                stored = (JsonElement)await client.CustomObjects.GetNamespacedCustomObjectAsync("keda.sh", "v1alpha1", "default", "scaledobjects", "s");
                Assert.Equal(20, stored.GetProperty("spec").GetProperty("maxReplicaCount").GetInt32());
            }
        }

        [Fact]
        public async Task Entra_only_clusters_refuse_local_tokens_and_take_aks_server_app_tokens()
        {
            (SandboxServer server, k8s.Kubernetes client) = await StartAsync(entraOnly: true);
            await using (server)
            {
                var refused = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ListNamespaceAsync());
                Assert.Equal(HttpStatusCode.Unauthorized, refused.Response.StatusCode);
                var entra = new k8s.Kubernetes(new KubernetesClientConfiguration
                {
                    Host = server.Url,
                    AccessToken = server.Tokens.Issue(server.Options.TenantId, "6dae42f8-4368-4678-94ff-3960e28e3630", "user", "app", TimeSpan.FromMinutes(5)),
                    SslCaCerts = new X509Certificate2Collection(server.Certificates.Authority),
                });
                Assert.Contains((await entra.CoreV1.ListNamespaceAsync()).Items, n => n.Metadata.Name == "default");
            }
        }
    }
}

namespace KedaAks.Sandbox.Tests
{
    public class KubernetesStandInWorkloadTests
    {
        [Fact]
        public async Task Deployments_roll_out_pods_that_the_workload_identity_webhook_mutates()
        {
            var server = new KedaAks.Sandbox.SandboxServer(new KedaAks.Sandbox.SandboxOptions { OidcIssuerEnabled = true, WorkloadIdentityEnabled = true });
            await server.StartAsync();
            await using (server)
            {
                server.Kubernetes.RolloutDuration = System.TimeSpan.FromMilliseconds(300);
                var client = new k8s.Kubernetes(new k8s.KubernetesClientConfiguration
                {
                    Host = server.Url, AccessToken = server.Kubernetes.Token,
                    SslCaCerts = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection(server.Certificates.Authority),
                });
                await client.CoreV1.CreateNamespaceAsync(new k8s.Models.V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new k8s.Models.V1ObjectMeta { Name = "keda" } });
                await client.CoreV1.CreateNamespacedServiceAccountAsync(new k8s.Models.V1ServiceAccount
                {
                    ApiVersion = "v1", Kind = "ServiceAccount",
                    Metadata = new k8s.Models.V1ObjectMeta
                    {
                        Name = "keda-operator",
                        Annotations = new System.Collections.Generic.Dictionary<string, string> { ["azure.workload.identity/client-id"] = "11111111-2222-3333-4444-555555555555" },
                    },
                }, "keda");
                var labels = new System.Collections.Generic.Dictionary<string, string> { ["app"] = "keda-operator", ["azure.workload.identity/use"] = "true" };
                await client.AppsV1.CreateNamespacedDeploymentAsync(new k8s.Models.V1Deployment
                {
                    ApiVersion = "apps/v1", Kind = "Deployment",
                    Metadata = new k8s.Models.V1ObjectMeta { Name = "keda-operator" },
                    Spec = new k8s.Models.V1DeploymentSpec
                    {
                        Replicas = 2,
                        Selector = new k8s.Models.V1LabelSelector { MatchLabels = new System.Collections.Generic.Dictionary<string, string> { ["app"] = "keda-operator" } },
                        Template = new k8s.Models.V1PodTemplateSpec
                        {
                            Metadata = new k8s.Models.V1ObjectMeta { Labels = labels },
                            Spec = new k8s.Models.V1PodSpec
                            {
                                ServiceAccountName = "keda-operator", Containers = new[] { new k8s.Models.V1Container { Name = "keda-operator", Image = "ghcr.io/kedacore/keda:2.20.2" } },
                            },
                        },
                    },
                }, "keda");

                var pods = await client.CoreV1.ListNamespacedPodAsync("keda", labelSelector: "app=keda-operator");
                Assert.Equal(2, pods.Items.Count);
                var env = pods.Items[0].Spec.Containers[0].Env.ToDictionary(e => e.Name, e => e.Value);
                Assert.Equal("11111111-2222-3333-4444-555555555555", env["AZURE_CLIENT_ID"]);
                Assert.Equal("/var/run/secrets/azure/tokens/azure-identity-token", env["AZURE_FEDERATED_TOKEN_FILE"]);
                Assert.Contains(pods.Items[0].Spec.Volumes, v => v.Projected?.Sources.Any(s => s.ServiceAccountToken?.Audience == "api://AzureADTokenExchange") == true);
                Assert.NotEqual(2, (await client.AppsV1.ReadNamespacedDeploymentAsync("keda-operator", "keda")).Status.AvailableReplicas ?? 0);

                await Task.Delay(500);
                var deployment = await client.AppsV1.ReadNamespacedDeploymentAsync("keda-operator", "keda");
                Assert.Equal(2, deployment.Status.AvailableReplicas);
                Assert.Contains(deployment.Status.Conditions, c => c.Type == "Available" && c.Status == "True");
                Assert.All((await client.CoreV1.ListNamespacedPodAsync("keda")).Items, p => Assert.Equal("Running", p.Status.Phase));
            }
        }
    }
}
