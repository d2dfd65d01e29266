using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using KedaAks.Sandbox.Server.Middleware;
using Xunit;

namespace KedaAks.Sandbox.Tests
{
    /// <summary>The fault kinds beyond status codes (hangs and dropped connections), per service, and what /_sandbox/stats reports of them.</summary>
    public class FaultKindTests
    {
        [Fact]
        public async Task A_dropped_connection_gives_the_client_no_answer_and_is_counted()
        {
            await using AzureSandbox sandbox = await AzureSandbox.StartAsync(o => { o.FaultRate = 1; o.FaultKinds = new() { FaultKind.Drop }; });
            await Assert.ThrowsAsync<HttpRequestException>(() => sandbox.SendRawAsync(HttpMethod.Get, sandbox.Server.Arm.ClusterId, apiVersion: "2026-06-01"));
            SandboxRequest logged = sandbox.Server.Requests.Single();
            Assert.Equal((true, "drop", "arm"), (logged.Faulted, logged.Fault, logged.Service));
            Assert.Equal(1, sandbox.Server.Faults.ByKind["drop"]);
        }

        [Fact]
        public async Task A_timeout_holds_the_request_for_the_hang_then_aborts_it()
        {
            await using AzureSandbox sandbox = await AzureSandbox.StartAsync(o =>
            {
                o.FaultRate = 1;
                o.FaultKinds = new() { FaultKind.Timeout };
                o.FaultHang = TimeSpan.FromSeconds(1);
            });
            var clock = Stopwatch.StartNew();
            await Assert.ThrowsAsync<HttpRequestException>(() => sandbox.SendRawAsync(HttpMethod.Get, sandbox.Server.Arm.ClusterId, apiVersion: "2026-06-01"));
            Assert.InRange(clock.Elapsed.TotalSeconds, 0.9, 10);
            Assert.Equal("timeout", sandbox.Server.Requests.Single().Fault);
        }

        [Fact]
        public async Task Services_are_faulted_separately_and_the_stats_name_kinds_services_and_state()
        {
            await using AzureSandbox sandbox = await AzureSandbox.StartAsync();
            using HttpClient client = sandbox.Client();
            JsonNode set = JsonNode.Parse(await client.GetStringAsync($"{sandbox.Server.Url}/_sandbox/faults?rate=1&seed=2&kinds=429&services=kubernetes"))!;
            Assert.Equal(new[] { "kubernetes" }, set["services"]!.AsArray().Select(s => s!.GetValue<string>()));
            Assert.Equal(HttpStatusCode.OK, (await sandbox.SendRawAsync(HttpMethod.Get, sandbox.Server.Arm.ClusterId, apiVersion: "2026-06-01")).Status);
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{sandbox.Server.Url}/api/v1/namespaces");
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", sandbox.Server.Kubernetes.Token);
            using HttpResponseMessage throttled = await client.SendAsync(request);
            Assert.Equal((HttpStatusCode)429, throttled.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(sandbox.Server.Options.RetryAfterSeconds), throttled.Headers.RetryAfter!.Delta);

            Assert.Equal(HttpStatusCode.Created, (await sandbox.SendRawAsync(HttpMethod.Put, sandbox.IdentityPath("id1"), "{\"location\":\"eastus\"}")).Status);
            JsonNode stats = JsonNode.Parse(await client.GetStringAsync($"{sandbox.Server.Url}/_sandbox/stats"))!;
            Assert.Equal(1, stats["faultsByKind"]!["429"]!.GetValue<int>());
            Assert.Equal(1, stats["faultsByService"]!["kubernetes"]!.GetValue<int>());
            Assert.Equal(2, stats["requestsByService"]!["arm"]!.GetValue<int>());
            Assert.Equal(1, stats["state"]!["identities"]!.GetValue<int>());
            Assert.Equal(0, stats["state"]!["federatedCredentials"]!.GetValue<int>());
            Assert.Equal(0, stats["state"]!["helmReleases"]!.GetValue<int>());
        }

        [Fact]
        public async Task Exempt_user_agents_are_never_faulted()
        {
            await using AzureSandbox sandbox = await AzureSandbox.StartAsync(o => { o.FaultRate = 1; o.FaultExemptUserAgents = new() { "Helm/" }; });
            using HttpClient client = sandbox.Client();
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{sandbox.Server.Url}/api/v1/namespaces");
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", sandbox.Server.Kubernetes.Token);
            request.Headers.UserAgent.ParseAdd("Helm/3.18.0");
            using HttpResponseMessage answer = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        }
    }
}
