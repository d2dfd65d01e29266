using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;

namespace KedaAks.Sandbox.Tests
{
    /// <summary>The middleware every request passes: fault injection (seeded, reproducible), the request log, authorization.</summary>
    public class MiddlewareTests
    {
        private static async Task<List<int>> StatusesAsync(double rate, int seed, int count)
        {
            await using AzureSandbox sandbox = await AzureSandbox.StartAsync(o => { o.FaultRate = rate; o.Seed = seed; });
            var statuses = new List<int>();
            for (int i = 0; i < count; i++)
            {
                statuses.Add((int)(await sandbox.SendRawAsync(HttpMethod.Get, sandbox.Server.Arm.ClusterId, apiVersion: "2026-06-01")).Status);
            }

            return statuses;
        }

        [Fact]
        public async Task Faults_with_the_same_seed_hit_the_same_requests()
        {
            List<int> first = await StatusesAsync(0.4, 7, 25);
            List<int> second = await StatusesAsync(0.4, 7, 25);
            Assert.Equal(first, second);
            Assert.Contains(first, s => s is 429 or 500 or 503);
            Assert.Contains(200, first);
            Assert.NotEqual(first, await StatusesAsync(0.4, 8, 25));
        }

        [Fact]
        public async Task Faults_are_logged_as_faulted_and_reset_by_the_control_endpoint()
        {
            await using AzureSandbox sandbox = await AzureSandbox.StartAsync(o => o.FaultRate = 1);
            var (status, body) = await sandbox.SendRawAsync(HttpMethod.Get, sandbox.Server.Arm.ClusterId, apiVersion: "2026-06-01");
            Assert.Contains((int)status, new[] { 429, 500, 503 });
            Assert.NotNull(body!["error"]!["code"]);
            Assert.True(sandbox.Server.Requests.Single().Faulted);

            using HttpClient client = sandbox.Client();
            JsonNode? reset = JsonNode.Parse(await client.GetStringAsync($"{sandbox.Server.Url}/_sandbox/faults?rate=0&seed=3"));
            Assert.Equal(0, reset!["rate"]!.GetValue<double>());
            Assert.Equal(HttpStatusCode.OK, (await sandbox.SendRawAsync(HttpMethod.Get, sandbox.Server.Arm.ClusterId, apiVersion: "2026-06-01")).Status);
            JsonNode? stats = JsonNode.Parse(await client.GetStringAsync($"{sandbox.Server.Url}/_sandbox/stats"));
            Assert.Equal((2, 1), (stats!["requests"]!.GetValue<int>(), stats["faults"]!.GetValue<int>()));
        }

        [Fact]
        public async Task Canned_answers_replace_the_service_for_the_next_requests_of_a_path()
        {
            await using AzureSandbox sandbox = await AzureSandbox.StartAsync();
            using HttpClient client = sandbox.Client();
            string page = Uri.EscapeDataString("<html>Sign in</html>");
            await client.GetStringAsync($"{sandbox.Server.Url}/_sandbox/respond?path=/subscriptions/&status=200&contentType=text/html&body={page}&count=2");
            using HttpClient raw = sandbox.Client();
            for (int i = 0; i < 2; i++)
            {
                using HttpResponseMessage answer = await raw.GetAsync($"{sandbox.Server.Url}{sandbox.Server.Arm.ClusterId}?api-version=2026-06-01");
                Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
                Assert.Equal("text/html", answer.Content.Headers.ContentType!.MediaType);
                Assert.Equal("<html>Sign in</html>", await answer.Content.ReadAsStringAsync());
            }

            Assert.Equal(HttpStatusCode.OK, (await sandbox.SendRawAsync(HttpMethod.Get, sandbox.Server.Arm.ClusterId, apiVersion: "2026-06-01")).Status);
            Assert.Equal(2, sandbox.Server.Requests.Count(r => r.Faulted));

            await client.GetStringAsync($"{sandbox.Server.Url}/_sandbox/respond?path=/&status=502&body=bad&count=100");
            await client.GetStringAsync($"{sandbox.Server.Url}/_sandbox/respond?clear=true");
            Assert.NotNull((await sandbox.SendRawAsync(HttpMethod.Get, sandbox.Server.Arm.ClusterId, apiVersion: "2026-06-01")).Body?["id"]);
        }

        [Fact]
        public async Task Kubernetes_faults_are_status_bodies_and_token_requests_are_never_faulted()
        {
            await using AzureSandbox sandbox = await AzureSandbox.StartAsync(o => o.FaultRate = 1);
            using HttpClient client = sandbox.Client();
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{sandbox.Server.Url}/api/v1/namespaces");
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", sandbox.Server.Kubernetes.Token);
            using HttpResponseMessage response = await client.SendAsync(request);
            JsonNode status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Equal("Status", status["kind"]!.GetValue<string>());
            Assert.Equal((int)response.StatusCode, status["code"]!.GetValue<int>());

            using var form = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials", ["client_id"] = sandbox.Server.Options.ClientId,
                ["client_secret"] = sandbox.Server.Options.ClientSecret, ["scope"] = "https://management.azure.com/.default",
            });
            using HttpResponseMessage token = await client.PostAsync($"{sandbox.Server.Url}/{sandbox.Server.Options.TenantId}/oauth2/v2.0/token?x=1", form);
            Assert.Equal(HttpStatusCode.OK, token.StatusCode);
            SandboxRequest logged = sandbox.Server.Requests.Last();
            Assert.Equal(($"/{sandbox.Server.Options.TenantId}/oauth2/v2.0/token", false), (logged.Path, logged.Faulted));
        }

        [Fact]
        public async Task The_request_log_keeps_paths_with_queries_counts_writes_and_skips_control_endpoints()
        {
            await using AzureSandbox sandbox = await AzureSandbox.StartAsync();
            Assert.Equal(HttpStatusCode.Created, (await sandbox.SendRawAsync(HttpMethod.Put, sandbox.IdentityPath("id1"), "{\"location\":\"eastus\"}")).Status);
            Assert.Equal(HttpStatusCode.OK, (await sandbox.SendRawAsync(HttpMethod.Get, sandbox.IdentityPath("id1"))).Status);
            using HttpClient client = sandbox.Client();
            await client.GetStringAsync($"{sandbox.Server.Url}/_sandbox/stats");

            Assert.Equal(2, sandbox.Server.Requests.Count);
            Assert.Equal(1, sandbox.Server.WriteCount);
            SandboxRequest put = sandbox.Server.Requests[0];
            Assert.Equal(("PUT", sandbox.IdentityPath("id1") + "?api-version=2024-11-30", 201), (put.Method, put.Path, put.Status));
            Assert.True(put.Start <= put.Time);

            sandbox.Server.ClearLog();
            Assert.Empty(sandbox.Server.Requests);
        }

        [Theory]
        [InlineData("PATCH", "/apis/keda.sh/v1alpha1/namespaces/default/scaledobjects/a?fieldManager=kedaaks", true)]
        [InlineData("POST", "/api/v1/namespaces", true)]
        [InlineData("DELETE", "/api/v1/namespaces/keda/serviceaccounts/keda-operator", true)]
        [InlineData("PATCH", "/apis/keda.sh/v1alpha1/namespaces/default/scaledobjects/a?dryRun=All&fieldManager=kedaaks", false)]
        [InlineData("POST", "/api/v1/namespaces/keda/serviceaccounts/keda-operator/token", false)]
        [InlineData("GET", "/api/v1/namespaces", false)]
        [InlineData("PUT", "/subscriptions/s/resourceGroups/g/providers/Microsoft.ManagedIdentity/userAssignedIdentities/i", false)]
        public void Kubernetes_writes_are_changes_under_api_and_apis_but_not_dry_runs_or_token_requests(string method, string path, bool write) =>
            Assert.Equal(write, KedaAks.Sandbox.Server.Middleware.RequestLog.IsKubernetesWrite(method, path));

        [Fact]
        public async Task Latency_delays_faultable_groups_only()
        {
            await using AzureSandbox sandbox = await AzureSandbox.StartAsync(o => o.LatencyMilliseconds = 300);
            await sandbox.SendRawAsync(HttpMethod.Get, sandbox.IdentityPath("none"));
            using HttpClient client = sandbox.Client();
            await client.GetStringAsync($"{sandbox.Server.Url}/_sandbox/stats");
            SandboxRequest arm = sandbox.Server.Requests.Single();
            Assert.True(arm.Time - arm.Start >= TimeSpan.FromMilliseconds(250), $"took {(arm.Time - arm.Start).TotalMilliseconds} ms");
        }

        [Fact]
        public async Task Arm_refuses_missing_and_foreign_tokens_with_a_challenge()
        {
            await using AzureSandbox sandbox = await AzureSandbox.StartAsync();
            using HttpClient client = sandbox.Client();
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{sandbox.Server.Url}{sandbox.Server.Arm.ClusterId}?api-version=2026-06-01");
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer",
                sandbox.Server.Tokens.Issue(sandbox.Server.Options.TenantId, "https://vault.azure.net", "tester", "tester", TimeSpan.FromMinutes(5)));
            using HttpResponseMessage response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Contains("InvalidAuthenticationToken", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Contains("error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }
    }
}
