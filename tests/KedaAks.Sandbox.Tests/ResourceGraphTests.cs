using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using KedaAks.Sandbox.Arm.ResourceGraph;
using KedaAks.Sandbox.Scenarios;
using Xunit;

namespace KedaAks.Sandbox.Tests
{
    /// <summary>
    /// The Resource Graph stand-in answers as the service does (../shared/docs/wave2-facts.md E): the KQL subset evaluated, everything else refused in the
    /// service's error shape (Azure/azure-powershell#13762), pages with $skipToken, and the per-user quota with 429 RateLimiting (Azure/azure-cli-extensions#3325).
    /// </summary>
    public class ResourceGraphTests
    {
        private const string Path = "/providers/Microsoft.ResourceGraph/resources";

        private static Task<AzureSandbox> FleetAsync(int quota = 100, int pageSize = 1000) => AzureSandbox.StartAsync(o =>
        {
            SandboxScenarios.Apply(o, SandboxScenarios.Fleet);
            (o.ResourceGraphQuota, o.ResourceGraphPageSize) = (quota, pageSize);
        });

        private static Task<(HttpStatusCode Status, JsonNode? Body)> QueryAsync(AzureSandbox sandbox, string query, JsonObject? options = null, JsonArray? subscriptions = null)
        {
            var body = new JsonObject { ["query"] = query, ["options"] = options ?? new JsonObject { ["$top"] = 1000 } };
            if (subscriptions is not null)
            {
                body["subscriptions"] = subscriptions;
            }

            return sandbox.SendRawAsync(HttpMethod.Post, Path, body.ToJsonString(), "2024-04-01");
        }

        private static List<string> Names(JsonNode? body) => body!["data"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()).ToList();

        [Theory]
        [InlineData("resources | where type =~ 'Microsoft.ContainerService/managedClusters' | where location == 'westeurope' | project name", "fleet-no-oidc")]
        [InlineData("where type == 'microsoft.containerservice/managedclusters' and tobool(properties.securityProfile.workloadIdentity.enabled) == false | project name", "")]
        [InlineData("where type == 'microsoft.containerservice/managedclusters' and (isnull(properties.securityProfile.workloadIdentity) "
            + "or tobool(properties.securityProfile.workloadIdentity.enabled) == false) | project name", "keda-aks,fleet-no-oidc,fleet-wi-off")]
        [InlineData("Resources | where tostring(sku.name) =~ 'automatic' | project name", "fleet-automatic")]
        [InlineData("resources | where name in~ ('FLEET-HELM', 'fleet-down') | order by name asc | project name", "fleet-down,fleet-helm")]
        [InlineData("resources | where name startswith 'fleet-' and not(name has 'oidc') | where properties.kubernetesVersion != '1.33.2' | project name", "fleet-wi-off")]
        [InlineData("resources | where type has 'managedclusters' | extend k8s = tostring(properties.kubernetesVersion) | where k8s == '1.32.6' | project name, k8s",
            "fleet-no-oidc")]
        [InlineData("resources | where type =~ 'microsoft.containerservice/managedclusters' | order by name | take 2 | project name", "keda-aks,fleet-wi-off")]
        [InlineData("resources | where resourceGroup == 'fleet-b' and subscriptionId == '" + SandboxScenarios.FleetSubscriptionB + "' | order by name asc | project name",
            "fleet-automatic,fleet-down,fleet-wi-off")]
        public async Task The_kql_subset_is_evaluated_over_the_resources_table(string query, string expected)
        {
            await using AzureSandbox sandbox = await FleetAsync();
            var (status, body) = await QueryAsync(sandbox, query);
            Assert.Equal(HttpStatusCode.OK, status);
            string[] names = expected.Split(',', StringSplitOptions.RemoveEmptyEntries);   // null == false is not true in KQL: a missing flag matches neither
            Assert.Equal(names, query.Contains("order by", StringComparison.Ordinal) ? Names(body) : Names(body).OrderBy(Order(expected)).ToList());
        }

        private static Func<string, int> Order(string expected) => name => Array.IndexOf(expected.Split(','), name);

        [Fact]
        public async Task Rows_have_the_resources_table_s_columns_and_projection_keeps_only_the_named_ones()
        {
            await using AzureSandbox sandbox = await FleetAsync();
            var (_, all) = await QueryAsync(sandbox, "resources | where name == 'fleet-addon'");
            JsonObject row = all!["data"]![0]!.AsObject();
            Assert.Equal(KqlQuery.ResourceColumns, row.Select(p => p.Key));
            Assert.Equal(("microsoft.containerservice/managedclusters", "fleet-a"), (row["type"]!.GetValue<string>(), row["resourceGroup"]!.GetValue<string>()));
            Assert.True(row["properties"]!["workloadAutoScalerProfile"]!["keda"]!["enabled"]!.GetValue<bool>());

            var (_, projected) = await QueryAsync(sandbox, "resources | where name == 'fleet-addon' | project id, name, sku");
            Assert.Equal(new[] { "id", "name", "sku" }, projected!["data"]![0]!.AsObject().Select(p => p.Key));
            Assert.Equal("1", projected["totalRecords"]!.ToJsonString());
            Assert.Equal("false", projected["resultTruncated"]!.GetValue<string>());   // a string, as the spec says
        }

        [Theory]
        [InlineData("resources | summarize count() by location", "UnsupportedInSandbox", "summarize")]
        [InlineData("resources | where frob(name)", "UnknownFunction", "frob")]
        [InlineData("resources | where nonsense == 1", "SemanticError", "nonsense")]
        [InlineData("resources | where name == ", "ParserFailure", "<EOF>")]
        [InlineData("resources | project name | where location == 'x'", "SemanticError", "location")]
        [InlineData("securityresources | take 1", "UnsupportedInSandbox", "securityresources")]
        public async Task Queries_outside_the_subset_are_refused_in_resource_graph_s_error_shape(string query, string code, string token)
        {
            await using AzureSandbox sandbox = await FleetAsync();
            var (status, body) = await QueryAsync(sandbox, query);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            JsonNode error = body!["error"]!;
            Assert.Equal("BadRequest", error["code"]!.GetValue<string>());
            Assert.StartsWith("Please provide below info when asking for support: timestamp = ", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
            JsonArray details = error["details"]!.AsArray();
            Assert.Equal("InvalidQuery", details[0]!["code"]!.GetValue<string>());
            Assert.Equal((code, token), (details[1]!["code"]!.GetValue<string>(), details[1]!["token"]!.GetValue<string>()));
        }

        [Fact]
        public async Task Pages_follow_skip_tokens_and_a_token_belongs_to_its_query()
        {
            await using AzureSandbox sandbox = await FleetAsync(pageSize: 2);
            const string query = "resources | where type =~ 'microsoft.containerservice/managedclusters' | project id, name | order by id asc";
            var names = new List<string>();
            string? token = null;
            int pages = 0;
            do
            {
                var options = new JsonObject { ["$top"] = 1000 };
                if (token is not null)
                {
                    options["$skipToken"] = token;
                }

                var (status, body) = await QueryAsync(sandbox, query, options);
                Assert.Equal(HttpStatusCode.OK, status);
                Assert.Equal(7, body!["totalRecords"]!.GetValue<int>());
                Assert.Equal(body["data"]!.AsArray().Count, body["count"]!.GetValue<int>());
                names.AddRange(Names(body));
                token = body["$skipToken"]?.GetValue<string>();
                pages++;
            }
            while (token is not null);

            Assert.Equal(4, pages);   // pages of at most 2, as the fleet preset has them
            Assert.Equal(7, names.Distinct().Count());

            var (_, first) = await QueryAsync(sandbox, query, new JsonObject { ["$top"] = 2 });
            var (wrong, error) = await QueryAsync(sandbox, "resources | project id", new JsonObject { ["$skipToken"] = first!["$skipToken"]!.GetValue<string>() });
            Assert.Equal(HttpStatusCode.BadRequest, wrong);
            Assert.Equal("InvalidSkipToken", error!["error"]!["details"]![1]!["code"]!.GetValue<string>());
            var (outOfRange, _) = await QueryAsync(sandbox, query, new JsonObject { ["$top"] = 1001 });
            Assert.Equal(HttpStatusCode.BadRequest, outOfRange);
        }

        [Fact]
        public async Task The_scope_is_the_named_subscriptions_a_management_group_or_the_whole_tenant()
        {
            await using AzureSandbox sandbox = await FleetAsync();
            const string query = "resources | where type =~ 'microsoft.containerservice/managedclusters' | project name";
            var (_, one) = await QueryAsync(sandbox, query, subscriptions: new JsonArray(SandboxScenarios.FleetSubscriptionA));
            Assert.Equal(3, one!["totalRecords"]!.GetValue<int>());
            var (_, tenant) = await QueryAsync(sandbox, query);
            Assert.Equal(7, tenant!["totalRecords"]!.GetValue<int>());
            var (_, group) = await sandbox.SendRawAsync(HttpMethod.Post, Path,
                new JsonObject { ["query"] = query, ["managementGroups"] = new JsonArray("kedaaks-fleet") }.ToJsonString(), "2022-10-01");
            Assert.Equal(6, group!["totalRecords"]!.GetValue<int>());
            var (_, unknown) = await QueryAsync(sandbox, query, subscriptions: new JsonArray("00000000-0000-0000-0000-000000000000"));
            Assert.Equal(0, unknown!["totalRecords"]!.GetValue<int>());
        }

        [Fact]
        public async Task The_quota_counts_down_per_caller_and_then_answers_429_until_it_resets()
        {
            await using AzureSandbox sandbox = await FleetAsync(quota: 2);
            using HttpClient client = sandbox.Client();
            async Task<HttpResponseMessage> Post()
            {
                var request = new HttpRequestMessage(HttpMethod.Post, $"{sandbox.Server.Url}{Path}?api-version=2024-04-01")
                {
                    Content = new StringContent("{\"query\":\"resources | take 1\"}", System.Text.Encoding.UTF8, "application/json"),
                };
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer",
                    sandbox.Server.Tokens.Issue(sandbox.Server.Options.TenantId, "https://management.azure.com", "user-1", "app", TimeSpan.FromMinutes(5)));
                return await client.SendAsync(request);
            }

            static string Header(HttpResponseMessage response, string name) => response.Headers.GetValues(name).Single();
            HttpResponseMessage first = await Post(), second = await Post(), third = await Post();
            Assert.Equal(("1", "0"), (Header(first, "x-ms-user-quota-remaining"), Header(second, "x-ms-user-quota-remaining")));
            Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
            Assert.Equal("0", Header(third, "x-ms-user-quota-remaining"));
            Assert.Matches("^00:00:0[0-2]$", Header(third, "x-ms-user-quota-resets-after"));
            JsonNode error = JsonNode.Parse(await third.Content.ReadAsStringAsync())!["error"]!;
            Assert.Equal(("RateLimiting", "RateLimiting"), (error["code"]!.GetValue<string>(), error["details"]![0]!["code"]!.GetValue<string>()));

            var (other, _) = await QueryAsync(sandbox, "resources | take 1");   // another user has a quota of its own
            Assert.Equal(HttpStatusCode.OK, other);
            await Task.Delay(sandbox.Server.Options.ResourceGraphQuotaWindow + TimeSpan.FromMilliseconds(100));
            Assert.Equal(HttpStatusCode.OK, (await Post()).StatusCode);
        }

        [Fact]
        public async Task Subscriptions_are_listed_and_read_and_unknown_ones_are_not_found()
        {
            await using AzureSandbox sandbox = await FleetAsync();
            var (status, list) = await sandbox.SendRawAsync(HttpMethod.Get, "/subscriptions", apiVersion: "2022-12-01");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(new[] { sandbox.Server.Options.SubscriptionId, SandboxScenarios.FleetSubscriptionA, SandboxScenarios.FleetSubscriptionB },
                list!["value"]!.AsArray().Select(s => s!["subscriptionId"]!.GetValue<string>()));
            var (_, fleetB) = await sandbox.SendRawAsync(HttpMethod.Get, "/subscriptions/" + SandboxScenarios.FleetSubscriptionB, apiVersion: "2022-12-01");
            Assert.Equal("KedaAks Fleet B", fleetB!["displayName"]!.GetValue<string>());
            var (missing, body) = await sandbox.SendRawAsync(HttpMethod.Get, "/subscriptions/11111111-2222-3333-4444-555555555555", apiVersion: "2022-12-01");
            Assert.Equal((HttpStatusCode.NotFound, "SubscriptionNotFound"), (missing, body!["error"]!["code"]!.GetValue<string>()));
        }
    }
}
