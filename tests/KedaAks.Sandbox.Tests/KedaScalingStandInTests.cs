using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using k8s;
using k8s.Autorest;
using Xunit;

namespace KedaAks.Sandbox.Tests
{
    /// <summary>What KEDA adds to the stand-in: autoscaling/v2 HPAs, KEDA's ScaledObject webhook (its wording), the HPAs KEDA's operator makes, query_range.</summary>
    public class KedaScalingStandInTests
    {
        private static async Task<(SandboxServer Server, k8s.Kubernetes Client)> StartAsync(bool keda = true)
        {
            var server = new SandboxServer(new SandboxOptions { CrdDirectory = KubernetesStandInTests.CrdDirectory() });
            await server.StartAsync();
            if (keda)
            {
                foreach (string name in new[] { "keda-operator", "keda-admission-webhooks" })
                {
                    server.Kubernetes.Seed(Deployment(name, "keda"));
                }
            }

            server.Kubernetes.Seed(Deployment("web", "default"));
            var client = new k8s.Kubernetes(new KubernetesClientConfiguration
            {
                Host = server.Url, AccessToken = server.Kubernetes.Token, SslCaCerts = new X509Certificate2Collection(server.Certificates.Authority),
            });
            return (server, client);
        }

        private static JsonObject Deployment(string name, string ns) => JsonNode.Parse("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"NAME","namespace":"NS"},
             "spec":{"replicas":1,"selector":{"matchLabels":{"app":"NAME"}},"template":{"metadata":{"labels":{"app":"NAME"}},"spec":{"containers":[{"name":"c","image":"i"}]}}}}
            """.Replace("NAME", name, StringComparison.Ordinal).Replace("NS", ns, StringComparison.Ordinal))!.AsObject();

        private static JsonObject Hpa(string name, string target = "web") => JsonNode.Parse("""
            {"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler","metadata":{"name":"NAME","namespace":"default"},
             "spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"TARGET"},"minReplicas":1,"maxReplicas":5,
             "metrics":[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":70}}}]}}
            """.Replace("NAME", name, StringComparison.Ordinal).Replace("TARGET", target, StringComparison.Ordinal))!.AsObject();

        private static JsonObject ScaledObject(string name, string target = "web", bool transfer = false, string? hpaName = null)
        {
            var so = JsonNode.Parse("""
                {"apiVersion":"keda.sh/v1alpha1","kind":"ScaledObject","metadata":{"name":"NAME","namespace":"default"},
                 "spec":{"scaleTargetRef":{"name":"TARGET"},"maxReplicaCount":8,
                 "triggers":[{"type":"prometheus","metadata":{"serverAddress":"http://p:9090","query":"sum(up)","threshold":"10"}}]}}
                """.Replace("NAME", name, StringComparison.Ordinal).Replace("TARGET", target, StringComparison.Ordinal))!.AsObject();
            if (transfer)
            {
                so["metadata"]!["annotations"] = new JsonObject { ["scaledobject.keda.sh/transfer-hpa-ownership"] = "true" };
            }

            if (hpaName is not null)
            {
                so["spec"]!["advanced"] = new JsonObject { ["horizontalPodAutoscalerConfig"] = new JsonObject { ["name"] = hpaName } };
            }

            return so;
        }

        private static Task<object> CreateAsync(k8s.Kubernetes client, JsonObject so, bool dryRun = false) =>
            client.CustomObjects.CreateNamespacedCustomObjectAsync(JsonSerializer.Deserialize<JsonElement>(so.ToJsonString()), "keda.sh", "v1alpha1", "default", "scaledobjects",
                dryRun: dryRun ? "All" : null);

        private static async Task<JsonObject> HpaAsync(k8s.Kubernetes client, string name) =>
            JsonNode.Parse(((JsonElement)await client.CustomObjects.GetNamespacedCustomObjectAsync("autoscaling", "v2", "default", "horizontalpodautoscalers", name)).GetRawText())!
                .AsObject();

        [Fact]
        public async Task HorizontalPodAutoscalers_are_served_as_autoscaling_v2()
        {
            (SandboxServer server, k8s.Kubernetes client) = await StartAsync(keda: false);
            await using (server)
            {
                server.Kubernetes.Seed(Hpa("web-hpa"));
                var list = await client.AutoscalingV2.ListNamespacedHorizontalPodAutoscalerAsync("default");
                Assert.Equal("web", list.Items.Single().Spec.ScaleTargetRef.Name);
                Assert.Contains("horizontalpodautoscalers", (await client.AutoscalingV2.GetAPIResourcesAsync()).Resources.Select(r => r.Name));
            }
        }

        [SkippableFact]
        public async Task Keda_webhook_refuses_a_target_another_hpa_scales_in_kedas_words()
        {
            Skip.If(KubernetesStandInTests.CrdDirectory() is null, "../shared/fixtures is absent: KEDA's CRDs are not loaded.");
            (SandboxServer server, k8s.Kubernetes client) = await StartAsync();
            await using (server)
            {
                server.Kubernetes.Seed(Hpa("web-hpa"));
                var refused = await Assert.ThrowsAsync<HttpOperationException>(() => CreateAsync(client, ScaledObject("web")));
                Assert.Equal(HttpStatusCode.Forbidden, refused.Response.StatusCode);
                JsonNode status = JsonNode.Parse(refused.Response.Content)!;
                Assert.Equal("Forbidden", status["reason"]!.GetValue<string>());
                Assert.Equal("admission webhook \"vscaledobject.kb.io\" denied the request: the workload 'web' of type 'apps/v1.Deployment' is already managed by the hpa 'web-hpa'",
                    status["message"]!.GetValue<string>());
                await Assert.ThrowsAsync<HttpOperationException>(() => CreateAsync(client, ScaledObject("web"), dryRun: true)); // dry runs are reviewed too

                var unnamed = await Assert.ThrowsAsync<HttpOperationException>(() => CreateAsync(client, ScaledObject("web", transfer: true)));
                Assert.Contains("the existing hpa 'web-hpa' for workload 'web' of type 'apps/v1.Deployment' must be specified by name in advanced settings to enable ownership "
                    + "transfer", unnamed.Response.Content, StringComparison.Ordinal);

                await CreateAsync(client, ScaledObject("web", transfer: true, hpaName: "web-hpa"));
                JsonObject adopted = await HpaAsync(client, "web-hpa");
                Assert.Equal("web", adopted["metadata"]!["ownerReferences"]![0]!["name"]!.GetValue<string>());
                Assert.Equal("External", adopted["spec"]!["metrics"]![0]!["type"]!.GetValue<string>());
                Assert.Equal(8, adopted["spec"]!["maxReplicas"]!.GetValue<int>());
            }
        }

        [SkippableFact]
        public async Task Keda_makes_its_own_hpa_refuses_a_second_scaledobject_and_deletes_the_hpa_with_the_scaledobject()
        {
            Skip.If(KubernetesStandInTests.CrdDirectory() is null, "../shared/fixtures is absent: KEDA's CRDs are not loaded.");
            (SandboxServer server, k8s.Kubernetes client) = await StartAsync();
            await using (server)
            {
                await CreateAsync(client, ScaledObject("web"));
                JsonObject hpa = await HpaAsync(client, "keda-hpa-web");
                Assert.Equal(1, hpa["spec"]!["minReplicas"]!.GetValue<int>());
                Assert.Equal("s0-prometheus", hpa["spec"]!["metrics"]![0]!["external"]!["metric"]!["name"]!.GetValue<string>());
                await CreateAsync(client, ScaledObject("web"), dryRun: true).ContinueWith(_ => { }); // same object again: reviewed, not refused by its own HPA

                var second = await Assert.ThrowsAsync<HttpOperationException>(() => CreateAsync(client, ScaledObject("other")));
                Assert.Contains("the workload 'web' of type 'apps/v1.Deployment' is already managed by the ScaledObject 'web'", second.Response.Content, StringComparison.Ordinal);

                await client.CustomObjects.DeleteNamespacedCustomObjectAsync("keda.sh", "v1alpha1", "default", "scaledobjects", "web");
                Assert.Empty((await client.AutoscalingV2.ListNamespacedHorizontalPodAutoscalerAsync("default")).Items);
            }
        }

        [SkippableFact]
        public async Task Without_kedas_webhook_running_nothing_is_refused()
        {
            Skip.If(KubernetesStandInTests.CrdDirectory() is null, "../shared/fixtures is absent: KEDA's CRDs are not loaded.");
            (SandboxServer server, k8s.Kubernetes client) = await StartAsync(keda: false);
            await using (server)
            {
                server.Kubernetes.Seed(Hpa("web-hpa"));
                await CreateAsync(client, ScaledObject("web"));
                Assert.Single((await client.AutoscalingV2.ListNamespacedHorizontalPodAutoscalerAsync("default")).Items); // and no operator, no HPA of KEDA's
            }
        }

        [Fact]
        public async Task The_workspace_endpoint_forwards_query_range_and_keeps_to_the_services_apis_and_limits()
        {
            using var upstream = new HttpListener();
            var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            int port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            upstream.Prefixes.Add($"http://127.0.0.1:{port}/");
            upstream.Start();
            var seen = new List<string>();
            _ = Task.Run(async () =>
            {
                while (upstream.IsListening)
                {
                    HttpListenerContext context;
                    try
                    {
                        context = await upstream.GetContextAsync();
                    }
                    catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException)
                    {
                        return;
                    }

                    lock (seen)
                    {
                        seen.Add(context.Request.Url!.PathAndQuery);
                    }

                    byte[] body = System.Text.Encoding.UTF8.GetBytes("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}");
                    context.Response.ContentType = "application/json";
                    await context.Response.OutputStream.WriteAsync(body);
                    context.Response.Close();
                }
            });

            await using var server = new SandboxServer(new SandboxOptions { PrometheusUpstream = $"http://127.0.0.1:{port}" });
            await server.StartAsync();
            string principal = server.Arm.ClientPrincipalId;
            string role = $"/subscriptions/{server.Options.SubscriptionId}/providers/Microsoft.Authorization/roleDefinitions/b0d8363b-8ddd-447d-831f-62ca05bff136";
            var (granted, _) = await SandboxArmRequests.SendAsync(server, HttpMethod.Put,
                $"{server.Arm.WorkspaceId}/providers/Microsoft.Authorization/roleAssignments/{Guid.NewGuid()}",
                $"{{\"properties\":{{\"roleDefinitionId\":\"{role}\",\"principalId\":\"{principal}\",\"principalType\":\"ServicePrincipal\"}}}}", "2022-04-01");
            Assert.Equal(HttpStatusCode.Created, granted);
            using var http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, c, _, _) => server.Certificates.Validate(c) });
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer",
                server.Tokens.Issue(server.Options.TenantId, "https://prometheus.monitor.azure.com", principal, principal, TimeSpan.FromHours(1)));
            string workspace = $"{server.Url}/workspaces/{server.Options.WorkspaceName}";

            HttpResponseMessage range = await http.GetAsync($"{workspace}/api/v1/query_range?query=up&start=2025-01-01T00:00:00Z&end=2025-01-01T02:00:00Z&step=15");
            Assert.Equal(HttpStatusCode.OK, range.StatusCode);
            Assert.Equal("matrix", JsonNode.Parse(await range.Content.ReadAsStringAsync())!["data"]!["resultType"]!.GetValue<string>());
            lock (seen)
            {
                Assert.Contains(seen, s => s.StartsWith("/api/v1/query_range?query=up&start=2025-01-01T00", StringComparison.Ordinal));
            }

            HttpResponseMessage tooLong = await http.GetAsync($"{workspace}/api/v1/query_range?query=up&start=1735689600&end=1739000000&step=3600");
            Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
            Assert.Contains("32 days", await tooLong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            HttpResponseMessage labels = await http.GetAsync($"{workspace}/api/v1/label/cluster/values");
            Assert.Equal(HttpStatusCode.NotFound, labels.StatusCode);
            upstream.Stop();
        }
    }
}
