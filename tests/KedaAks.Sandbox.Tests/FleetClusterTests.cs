using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using k8s;
using KedaAks.Sandbox.Scenarios;
using Xunit;

namespace KedaAks.Sandbox.Tests
{
    /// <summary>The fleet preset's clusters: ARM resources in their subscriptions, each with its own API server under /fleet/&lt;name&gt;/ and its own state.</summary>
    public class FleetClusterTests
    {
        private static Task<AzureSandbox> FleetAsync() => AzureSandbox.StartAsync(o => SandboxScenarios.Apply(o, SandboxScenarios.Fleet));

        private static string ClusterPath(string subscription, string group, string name) =>
            $"/subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.ContainerService/managedClusters/{name}";

        private static async Task<string> KubeconfigAsync(AzureSandbox sandbox, string subscription, string group, string name)
        {
            var (status, body) = await sandbox.SendRawAsync(HttpMethod.Post, ClusterPath(subscription, group, name) + "/listClusterUserCredential", apiVersion: "2026-06-01");
            Assert.Equal(HttpStatusCode.OK, status);
            return Encoding.UTF8.GetString(Convert.FromBase64String(body!["kubeconfigs"]![0]!["value"]!.GetValue<string>()));
        }

        private static async Task<HttpStatusCode> GetAsync(AzureSandbox sandbox, string path, string token)
        {
            using HttpClient client = sandbox.Client();
            using var request = new HttpRequestMessage(HttpMethod.Get, sandbox.Server.Url + path);
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            return (await client.SendAsync(request)).StatusCode;
        }

        [Fact]
        public async Task Each_cluster_s_kubeconfig_names_its_own_api_server_and_token()
        {
            await using AzureSandbox sandbox = await FleetAsync();
            string kubeconfig = await KubeconfigAsync(sandbox, SandboxScenarios.FleetSubscriptionA, "fleet-a", "fleet-helm");
            string token = sandbox.Server.Fleet["fleet-helm"]!.Token;
            Assert.Contains($"server: {sandbox.Server.Url}/fleet/fleet-helm\n", kubeconfig, StringComparison.Ordinal);
            Assert.Contains($"token: {token}\n", kubeconfig, StringComparison.Ordinal);
            Assert.NotEqual(sandbox.Server.Kubernetes.Token, token);

            Assert.Equal(HttpStatusCode.OK, await GetAsync(sandbox, "/fleet/fleet-helm/api/v1/namespaces/keda/secrets", token));
            Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(sandbox, "/fleet/fleet-helm/api/v1/namespaces", sandbox.Server.Kubernetes.Token));
            Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(sandbox, "/api/v1/namespaces", token));
            Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(sandbox, "/fleet/fleet-addon/api/v1/namespaces", token));
        }

        [Fact]
        public async Task KubernetesClient_works_against_a_server_with_a_path_and_sees_that_cluster_s_objects()
        {
            await using AzureSandbox sandbox = await FleetAsync();
            k8s.Kubernetes Client(string name) => new(new KubernetesClientConfiguration
            {
                Host = $"{sandbox.Server.Url}/fleet/{name}",
                AccessToken = sandbox.Server.Fleet[name]!.Token,
                SslCaCerts = new X509Certificate2Collection(sandbox.Server.Certificates.Authority),
            });

            using k8s.Kubernetes addon = Client("fleet-addon"), noOidc = Client("fleet-no-oidc"), wiOff = Client("fleet-wi-off");
            Assert.Equal("v1.34.1", (await wiOff.Version.GetCodeAsync()).GitVersion);
            Assert.Equal(3, (await addon.AppsV1.ListNamespacedDeploymentAsync("kube-system")).Items.Count(d => d.Metadata.Name.StartsWith("keda-", StringComparison.Ordinal)));
            Assert.Empty((await noOidc.AppsV1.ListNamespacedDeploymentAsync("kube-system")).Items);
            Assert.Contains((await wiOff.CoreV1.ListNamespacedSecretAsync("keda", labelSelector: "owner=helm")).Items, s => s.Metadata.Name == "sh.helm.release.v1.keda.v1");

            await noOidc.CoreV1.CreateNamespaceAsync(new k8s.Models.V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new k8s.Models.V1ObjectMeta { Name = "only-here" } });
            Assert.Contains((await noOidc.CoreV1.ListNamespaceAsync()).Items, n => n.Metadata.Name == "only-here");
            Assert.DoesNotContain((await addon.CoreV1.ListNamespaceAsync()).Items, n => n.Metadata.Name == "only-here");
            Assert.Equal(1, sandbox.Server.RequestLog.KubernetesWriteCount);   // a fleet cluster's writes count too
        }

        [Fact]
        public async Task A_cluster_whose_api_server_is_down_answers_its_gateway_s_502_and_the_others_answer()
        {
            await using AzureSandbox sandbox = await FleetAsync();
            using HttpClient client = sandbox.Client();
            using var request = new HttpRequestMessage(HttpMethod.Get, sandbox.Server.Url + "/fleet/fleet-down/version");
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", sandbox.Server.Fleet["fleet-down"]!.Token);
            using HttpResponseMessage response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
            Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
            Assert.Equal(HttpStatusCode.OK, await GetAsync(sandbox, "/fleet/fleet-automatic/version", sandbox.Server.Fleet["fleet-automatic"]!.Token));
            Assert.NotEqual(HttpStatusCode.OK, await GetAsync(sandbox, "/fleet/no-such-cluster/version", sandbox.Server.Kubernetes.Token));
        }

        [Fact]
        public async Task Fleet_clusters_are_arm_resources_of_their_subscriptions_with_issuers_of_their_own()
        {
            await using AzureSandbox sandbox = await FleetAsync();
            var (status, automatic) = await sandbox.SendRawAsync(HttpMethod.Get, ClusterPath(SandboxScenarios.FleetSubscriptionB, "fleet-b", "fleet-automatic"), apiVersion: "2026-06-01");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("Automatic", automatic!["sku"]!["name"]!.GetValue<string>());
            string issuer = automatic["properties"]!["oidcIssuerProfile"]!["issuerURL"]!.GetValue<string>();
            Assert.NotEqual(sandbox.Server.Arm.IssuerUrl, issuer);
            Assert.EndsWith("/", issuer, StringComparison.Ordinal);
            var (wrongSubscription, _) = await sandbox.SendRawAsync(HttpMethod.Get, ClusterPath(SandboxScenarios.FleetSubscriptionA, "fleet-b", "fleet-automatic"),
                apiVersion: "2026-06-01");
            Assert.Equal(HttpStatusCode.NotFound, wrongSubscription);
            JsonNode description = sandbox.Server.Describe();
            Assert.Equal(6, description["fleet"]!.AsArray().Count);
            Assert.Equal(3, description["subscriptions"]!.AsArray().Count);
        }
    }
}
