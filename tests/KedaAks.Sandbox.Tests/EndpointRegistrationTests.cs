using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using KedaAks.Sandbox.Arm.Providers;
using KedaAks.Sandbox.Kubernetes;
using KedaAks.Sandbox.Kubernetes.Controllers;
using KedaAks.Sandbox.Server;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace KedaAks.Sandbox.Tests
{
    /// <summary>Extension points: an endpoint group, an ARM resource provider, a Kubernetes kind with its controller, a subresource.</summary>
    public class EndpointRegistrationTests
    {
        private sealed class HelloGroup : IEndpointGroup
        {
            public string Name => "hello";

            public bool Matches(string path) => path.StartsWith("/hello/", StringComparison.Ordinal);

            public Task HandleAsync(HttpContext context, string path) => SandboxHttp.WriteAsync(context, 200, new JsonObject { ["hello"] = path["/hello/".Length..] });
        }

        private sealed class GraphProvider : IArmResourceProvider
        {
            public string Namespace => "Microsoft.ResourceGraph";

            public IReadOnlyList<string> ApiVersions { get; } = new[] { "2024-04-01" };

            public (int, JsonNode?, Dictionary<string, string>?)? Subscription(ArmRequest request) =>
                request.Path.EndsWith("/providers/Microsoft.ResourceGraph/resources", StringComparison.OrdinalIgnoreCase) ? (200, new JsonObject { ["count"] = 0 }, null) : null;

            public Task<(int, JsonNode?, Dictionary<string, string>?)?> ResourceAsync(ArmRequest request, string resourceId) =>
                Task.FromResult<(int, JsonNode?, Dictionary<string, string>?)?>(null);
        }

        private sealed class HpaController : IKubernetesController
        {
            public void Written(ClusterStore store, ResourceType type, JsonObject stored)
            {
                if (type.Plural == "horizontalpodautoscalers")
                {
                    stored["status"] = new JsonObject { ["currentReplicas"] = 1 };
                }
            }
        }

        [Fact]
        public async Task A_registered_group_answers_its_paths_and_is_logged()
        {
            var server = new SandboxServer();
            server.Endpoints.Add(new HelloGroup());
            await using (server)
            {
                await server.StartAsync();
                using var client = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, c, _, _) => server.Certificates.Validate(c) });
                JsonNode? answer = JsonNode.Parse(await client.GetStringAsync($"{server.Url}/hello/world?x=1"));
                Assert.Equal("world", answer!["hello"]!.GetValue<string>());
                Assert.Equal(("/hello/world?x=1", 200), (server.Requests.Single().Path, server.Requests.Single().Status));
            }

            Assert.Equal(new[] { "control", "chart-repository", "workspace-query", "entra", "kubernetes", "fleet-kubernetes", "hello" }, server.Endpoints.Groups.Select(g => g.Name));
            Assert.Equal("arm", server.Endpoints.Fallback!.Name);
            Assert.Throws<InvalidOperationException>(() => server.Endpoints.Add(new HelloGroup()));
        }

        [Fact]
        public async Task A_registered_arm_provider_gets_its_routes_and_api_versions_checked()
        {
            await using AzureSandbox sandbox = await AzureSandbox.StartAsync();
            sandbox.Server.Arm.AddProvider(new GraphProvider());
            string path = $"/subscriptions/{sandbox.Server.Options.SubscriptionId}/providers/Microsoft.ResourceGraph/resources";
            var (status, body) = await sandbox.SendRawAsync(HttpMethod.Post, path, "{}", "2024-04-01");
            Assert.Equal((HttpStatusCode.OK, 0), (status, body!["count"]!.GetValue<int>()));
            var (old, error) = await sandbox.SendRawAsync(HttpMethod.Post, path, "{}", "2019-04-01");
            Assert.Equal(HttpStatusCode.BadRequest, old);
            Assert.Equal("NoRegisteredProviderFound", error!["error"]!["code"]!.GetValue<string>());
        }

        [Fact]
        public async Task A_served_kind_with_a_controller_and_a_subresource_is_a_few_lines()
        {
            var server = new SandboxServer();
            await using (server)
            {
                server.Kubernetes.Store.Serve(new ResourceType("autoscaling", "v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler", true));
                server.Kubernetes.AddController(new HpaController());
                server.Kubernetes.Subresources.Register("horizontalpodautoscalers", "scale", "GET", r => (200, new JsonObject { ["kind"] = "Scale", ["name"] = r.Name }));
                await server.StartAsync();
                server.Kubernetes.Seed((JsonObject)JsonNode.Parse("""{"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler","metadata":{"name":"web"},"spec":{}}""")!);
                Assert.Equal(1, server.Kubernetes.Get("autoscaling/v2", "horizontalpodautoscalers", "default", "web")!["status"]!["currentReplicas"]!.GetValue<int>());

                using var client = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, c, _, _) => server.Certificates.Validate(c) });
                client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", server.Kubernetes.Token);
                JsonNode? discovery = JsonNode.Parse(await client.GetStringAsync($"{server.Url}/apis/autoscaling/v2"));
                Assert.Equal("HorizontalPodAutoscaler", discovery!["resources"]![0]!["kind"]!.GetValue<string>());
                JsonNode? scale = JsonNode.Parse(await client.GetStringAsync($"{server.Url}/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers/web/scale"));
                Assert.Equal(("Scale", "web"), (scale!["kind"]!.GetValue<string>(), scale["name"]!.GetValue<string>()));
            }
        }
    }
}
