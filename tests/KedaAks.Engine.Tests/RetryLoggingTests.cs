using System;
using System.Linq;
using System.Threading.Tasks;
using Xunit;

namespace KedaAks.Engine.Tests
{
    /// <summary>A retried request is never silent: each retry says in Verbose what answered, which retry it is, and the wait.</summary>
    public sealed class RetryLoggingTests
    {
        [Fact]
        public async Task Retried_ARM_requests_say_status_attempt_and_wait()
        {
            await using AzureSandbox sandbox = await AzureSandbox.StartAsync();
            sandbox.Server.SetFaults(0.6, 11);
            var host = new RecordingHost();
            AksCluster cluster = await sandbox.Service.GetClusterAsync(sandbox.Server.Arm.ClusterId, null, null, host.Call(sandbox.Settings()));
            Assert.Equal("keda-aks", cluster.Name);
            Assert.True(sandbox.Server.Requests.Any(r => r.Faulted), "the seed must fault at least one request");
            string line = Assert.Single(host.Verbose.Where(v => v.StartsWith("Azure Resource Manager answered", StringComparison.Ordinal)).Take(1));
            Assert.Matches(@"^Azure Resource Manager answered (429|500|503)[^;]*; retry 1 of 8 in \d+(\.\d)? s\.$", line);
        }

        [Fact]
        public async Task Retried_Entra_token_requests_say_status_and_attempt()
        {
            await using AzureSandbox sandbox = await AzureSandbox.StartAsync(o => o.EntraFaults = true);
            sandbox.Server.Responses.Add($"/{sandbox.Server.Options.TenantId}/oauth2/v2.0/token", 503, "application/json",
                "{\"error\":\"temporarily_unavailable\",\"error_description\":\"AADSTS90033: A transient error has occurred.\"}", 1);
            var host = new RecordingHost();
            var fresh = new KedaAks.Engine.Azure.AzureService(sandbox.Options with { CredentialCache = new(), EntraMaxRetries = 8 });
            await fresh.GetClusterAsync(sandbox.Server.Arm.ClusterId, null, null, host.Call(sandbox.Settings()));
            Assert.Contains(host.Verbose, v => System.Text.RegularExpressions.Regex.IsMatch(v, @"^Entra token request to 127\.0\.0\.1 answered (429|500|503) \(attempt \d+ of 9\)\.$"));
        }
    }
}
