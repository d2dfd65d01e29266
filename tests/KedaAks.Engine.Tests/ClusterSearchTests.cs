using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using KedaAks.Engine.Azure;
using KedaAks.Sandbox;
using KedaAks.Sandbox.Scenarios;
using Xunit;

namespace KedaAks.Engine.Tests
{
    /// <summary>Search-KedaAksCluster's engine against the sandbox's Resource Graph: scope, pages, the quota, 429s, filters, and the one cluster mapping.</summary>
    public class ClusterSearchTests
    {
        private const string ResourceGraphPath = "/providers/Microsoft.ResourceGraph/resources";

        private static Task<AzureSandbox> FleetAsync(Action<SandboxOptions>? configure = null) => AzureSandbox.StartAsync(o =>
        {
            SandboxScenarios.Apply(o, SandboxScenarios.Fleet);
            o.ResourceGraphQuota = 100;
            configure?.Invoke(o);
        });

        private static int Queries(AzureSandbox sandbox) => sandbox.Server.Requests.Count(r => r.Method == "POST" && r.Path.StartsWith(ResourceGraphPath, StringComparison.Ordinal));

        [Fact]
        public async Task Every_visible_subscription_is_searched_page_by_page_and_rows_map_like_a_get_of_the_cluster()
        {
            await using AzureSandbox sandbox = await FleetAsync();
            var host = new RecordingHost();
            IReadOnlyList<AksCluster> found = await sandbox.Service.SearchClustersAsync(new ClusterSearchRequest(), host.Call(sandbox.Settings()));

            Assert.Equal(7, found.Count);   // the main cluster and the fleet's six, over three subscriptions
            Assert.Equal(3, found.Select(c => c.SubscriptionId).Distinct().Count());
            Assert.Equal(4, Queries(sandbox));   // pages of two
            Assert.Contains(sandbox.Server.Requests, r => r.Method == "GET" && r.Path.StartsWith("/subscriptions?", StringComparison.Ordinal));
            Assert.Equal(found.Select(c => c.ResourceId).OrderBy(id => id, StringComparer.Ordinal), found.Select(c => c.ResourceId));

            foreach (AksCluster searched in found)
            {
                AksCluster read = await sandbox.Service.GetClusterAsync(searched.ResourceId, null, null, host.Call(sandbox.Settings()));
                Assert.Equal(System.Text.Json.JsonSerializer.Serialize(read), System.Text.Json.JsonSerializer.Serialize(searched));
            }

            AksCluster automatic = found.Single(c => c.Name == "fleet-automatic");
            Assert.Equal(("Automatic", true, true), (automatic.Sku, automatic.OidcIssuerEnabled, automatic.WorkloadIdentityEnabled));
            AksCluster noOidc = found.Single(c => c.Name == "fleet-no-oidc");
            Assert.Equal((false, null, false, "1.32.6"), (noOidc.OidcIssuerEnabled, noOidc.OidcIssuerUrl, noOidc.KedaAddonEnabled, noOidc.KubernetesVersion));
            Assert.True(found.Single(c => c.Name == "fleet-addon").KedaAddonEnabled);
            Assert.Contains(host.Progress, p => p.Status.Contains("page 4: 7 of 7", StringComparison.Ordinal));
        }

        [Fact]
        public async Task Subscriptions_management_groups_and_a_filter_narrow_the_scope()
        {
            await using AzureSandbox sandbox = await FleetAsync();
            CallContext call = new RecordingHost().Call(sandbox.Settings());
            IReadOnlyList<AksCluster> b = await sandbox.Service.SearchClustersAsync(new ClusterSearchRequest { SubscriptionIds = new[] { SandboxScenarios.FleetSubscriptionB } }, call);
            Assert.Equal(new[] { "fleet-automatic", "fleet-down", "fleet-wi-off" }, b.Select(c => c.Name).OrderBy(n => n));

            IReadOnlyList<AksCluster> group = await sandbox.Service.SearchClustersAsync(new ClusterSearchRequest { ManagementGroups = new[] { "kedaaks-fleet" } }, call);
            Assert.Equal(6, group.Count);
            Assert.DoesNotContain(group, c => c.Name == "keda-aks");

            IReadOnlyList<AksCluster> europe = await sandbox.Service.SearchClustersAsync(new ClusterSearchRequest { Filter = "location == 'westeurope'" }, call);
            Assert.Equal("fleet-no-oidc", Assert.Single(europe).Name);
            IReadOnlyList<AksCluster> addon = await sandbox.Service.SearchClustersAsync(
                new ClusterSearchRequest { Filter = "tobool(properties.workloadAutoScalerProfile.keda.enabled) and resourceGroup =~ 'FLEET-B'" }, call);
            Assert.Equal("fleet-down", Assert.Single(addon).Name);
            Assert.Empty(await sandbox.Service.SearchClustersAsync(new ClusterSearchRequest { Filter = "name == 'a|b;c'" }, call));   // | and ; inside quotes are text
        }

        [Fact]
        public async Task First_caps_the_results_and_asks_only_for_what_is_missing()
        {
            await using AzureSandbox sandbox = await FleetAsync(o => o.ResourceGraphPageSize = 1000);
            IReadOnlyList<AksCluster> three = await sandbox.Service.SearchClustersAsync(new ClusterSearchRequest { First = 3 }, new RecordingHost().Call(sandbox.Settings()));
            Assert.Equal(3, three.Count);
            Assert.Equal(1, Queries(sandbox));   // $top 3: one page holds them
        }

        [Theory]
        [InlineData("")]
        [InlineData("   ")]
        [InlineData("name == 'x' | take 1")]
        [InlineData("name == 'x'; resources")]
        [InlineData("name == 'unclosed")]
        public async Task A_filter_that_is_not_one_predicate_is_refused_before_any_query(string filter)
        {
            await using AzureSandbox sandbox = await FleetAsync();
            var error = await Assert.ThrowsAsync<KedaAksException>(() =>
                sandbox.Service.SearchClustersAsync(new ClusterSearchRequest { Filter = filter }, new RecordingHost().Call(sandbox.Settings())));
            Assert.Equal(("InvalidFilter", KedaErrorCategory.InvalidArgument, (object)filter), (error.ErrorId, error.Category, error.TargetObject));
            Assert.Contains("-Filter", error.RecommendedAction, StringComparison.Ordinal);
            Assert.Equal(0, Queries(sandbox));
        }

        [Fact]
        public async Task Resource_graph_s_refusal_of_a_query_reaches_the_caller_with_its_reason()
        {
            await using AzureSandbox sandbox = await FleetAsync();
            var error = await Assert.ThrowsAsync<KedaAksException>(() =>
                sandbox.Service.SearchClustersAsync(new ClusterSearchRequest { Filter = "frobnicate(name)" }, new RecordingHost().Call(sandbox.Settings())));
            Assert.Equal("InvalidQuery", error.ErrorId);
            Assert.Equal(KedaErrorCategory.InvalidArgument, error.Category);
            Assert.Contains("Unknown function: 'frobnicate'", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("correlationId", error.Message, StringComparison.Ordinal);
            var invalid = await Assert.ThrowsAsync<KedaAksException>(() =>
                sandbox.Service.SearchClustersAsync(new ClusterSearchRequest { SubscriptionIds = new[] { "not-a-guid" } }, new RecordingHost().Call(sandbox.Settings())));
            Assert.Equal("InvalidSubscriptionId", invalid.ErrorId);
        }

        [Fact]
        public async Task A_used_up_quota_makes_the_next_page_wait_for_the_reset_instead_of_meeting_a_429()
        {
            await using AzureSandbox sandbox = await FleetAsync(o => (o.ResourceGraphQuota, o.ResourceGraphQuotaWindow) = (2, TimeSpan.FromSeconds(1)));
            var waits = new ConcurrentQueue<TimeSpan>();
            var service = new AzureService(sandbox.Options with
            {
                Delay = async (wait, token) =>
                {
                    waits.Enqueue(wait);
                    await Task.Delay(wait, token);
                },
            });
            var host = new RecordingHost();
            IReadOnlyList<AksCluster> found = await service.SearchClustersAsync(new ClusterSearchRequest(), host.Call(sandbox.Settings()));

            Assert.Equal(7, found.Count);
            Assert.Equal(4, Queries(sandbox));
            Assert.DoesNotContain(sandbox.Server.Requests, r => r.Status == 429);
            Assert.True(waits.Count >= 1, "waited for the quota");
            Assert.All(waits, w => Assert.InRange(w.TotalSeconds, 1, 1));
            Assert.Contains(host.Verbose, v => v.StartsWith("Resource Graph quota used up; waiting 1 s", StringComparison.Ordinal));
        }

        [Fact]
        public async Task A_429_from_resource_graph_is_retried_after_the_time_it_names()
        {
            await using AzureSandbox sandbox = await FleetAsync(o => (o.ResourceGraphQuota, o.ResourceGraphQuotaWindow, o.ResourceGraphPageSize) = (2, TimeSpan.FromSeconds(1), 1000));
            // Another script of the same identity used the quota up a moment ago.
            using HttpClient client = SandboxArmRequests.Client(sandbox.Server);
            string token = sandbox.Server.Tokens.Issue(sandbox.Server.Options.TenantId, "https://management.azure.com", sandbox.Server.Arm.ClientPrincipalId, "other-script",
                TimeSpan.FromMinutes(5));
            for (int i = 0; i < 2; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, $"{sandbox.Server.Url}{ResourceGraphPath}?api-version=2024-04-01")
                {
                    Content = new StringContent("{\"query\":\"resources | take 1\"}", Encoding.UTF8, "application/json"),
                };
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
                Assert.True((await client.SendAsync(request)).IsSuccessStatusCode);
            }

            var host = new RecordingHost();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            IReadOnlyList<AksCluster> found = await sandbox.Service.SearchClustersAsync(new ClusterSearchRequest(), host.Call(sandbox.Settings()));
            Assert.Equal(7, found.Count);
            List<int> statuses = sandbox.Server.Requests.Where(r => r.Path.StartsWith(ResourceGraphPath, StringComparison.Ordinal)).Select(r => r.Status).ToList();
            Assert.Equal(new[] { 200, 200, 429, 200 }, statuses);
            Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.5), $"the retry waited for the reset ({clock.Elapsed})");
            Assert.Contains(host.Verbose, v => v.Contains("answered 429", StringComparison.Ordinal) && v.Contains("retry 1 of", StringComparison.Ordinal));
        }

        [Fact]
        public void Resets_after_is_read_as_hh_mm_ss()
        {
            Assert.Equal(TimeSpan.FromSeconds(3), LoggedDelay.QuotaReset("00:00:03"));
            Assert.Equal(TimeSpan.FromMinutes(1), LoggedDelay.QuotaReset("00:01:00"));
            Assert.Null(LoggedDelay.QuotaReset("soon"));
            Assert.Null(LoggedDelay.QuotaReset(null));
        }

        [Fact]
        public void The_query_keeps_the_cluster_resource_shape_and_the_id_for_stable_paging()
        {
            string query = ClusterSearch.Query("location == 'westeurope'");
            Assert.StartsWith("resources\n| where type =~ 'microsoft.containerservice/managedclusters'\n| where location == 'westeurope'\n", query, StringComparison.Ordinal);
            Assert.Contains("| project id, name, type, location, resourceGroup, subscriptionId, sku, properties", query, StringComparison.Ordinal);
            Assert.EndsWith("| order by id asc", query, StringComparison.Ordinal);
        }
    }
}
