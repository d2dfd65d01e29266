using System;
using System.IO;
using System.Text.Json.Nodes;
using KedaAks.Engine.Azure;
using Xunit;

namespace KedaAks.Engine.Tests
{
    public class AzureModelTests
    {
        private static JsonNode? Example(string relative, string status = "200")
        {
            string? root = SharedFixtures.Find("azure-rest");
            return root is null ? null : JsonNode.Parse(File.ReadAllText(Path.Combine(root, relative)))!["responses"]![status]!["body"];
        }

        [Fact]
        public void Uuid_v5_matches_rfc_4122()
        {
            // uuid.uuid5(uuid.NAMESPACE_DNS, "python.org") in Python.
            Assert.Equal(new Guid("886313e1-3b8a-5372-9b90-0c9aee199e5d"), ArmApi.UuidV5(new Guid("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), "python.org"));
        }

        [Fact]
        public void Role_assignment_names_are_deterministic_and_case_insensitive_in_scope()
        {
            string a = ArmApi.RoleAssignmentName("/subscriptions/S/resourceGroups/RG/providers/Microsoft.Monitor/accounts/W", "P", ArmApi.MonitoringDataReaderRoleId);
            string b = ArmApi.RoleAssignmentName("/subscriptions/s/resourcegroups/rg/providers/microsoft.monitor/accounts/w", "p", ArmApi.MonitoringDataReaderRoleId);
            Assert.Equal(a, b);
            Assert.NotEqual(a, ArmApi.RoleAssignmentName("/subscriptions/s/resourcegroups/rg/providers/microsoft.monitor/accounts/other", "p", ArmApi.MonitoringDataReaderRoleId));
        }

        [Theory]
        [InlineData(true, "AZURE_CLIENT_ID,AZURE_TENANT_ID,AZURE_CLIENT_SECRET,IDENTITY_ENDPOINT", true, "AzContext,Environment,ManagedIdentity,AzureCli")]
        [InlineData(false, "AZURE_CLIENT_ID,AZURE_TENANT_ID,AZURE_FEDERATED_TOKEN_FILE", false, "WorkloadIdentity")]
        [InlineData(false, "MSI_ENDPOINT", false, "ManagedIdentity")]
        [InlineData(false, "AZURE_CLIENT_ID,AZURE_CLIENT_SECRET", true, "AzureCli")]
        [InlineData(false, "", false, "")]
        public void Auto_tries_the_sources_the_process_offers_in_order(bool azContext, string variables, bool az, string expected)
        {
            var env = new FakeEnvironment();
            foreach (string name in variables.Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                env[name] = "x";
            }

            if (az)
            {
                env.Commands.Add("az");
            }

            Assert.Equal(expected, string.Join(",", TokenSources.AutoOrder(azContext, env)));
        }

        [Theory]
        [InlineData(AzureCloudName.AzureCloud, "https://management.azure.com/", "https://login.microsoftonline.com/", "https://prometheus.monitor.azure.com/.default")]
        [InlineData(AzureCloudName.AzureUSGovernment, "https://management.usgovcloudapi.net/", "https://login.microsoftonline.us/", "https://prometheus.monitor.azure.us/.default")]
        [InlineData(AzureCloudName.AzureChinaCloud, "https://management.chinacloudapi.cn/", "https://login.chinacloudapi.cn/", "https://prometheus.monitor.azure.cn/.default")]
        public void Clouds_have_their_endpoints(AzureCloudName cloud, string arm, string authority, string prometheus)
        {
            CloudEndpoints endpoints = CloudEndpoints.Resolve(new AzureSettings { Cloud = cloud });
            Assert.Equal((arm, authority, prometheus), (endpoints.ArmEndpoint.AbsoluteUri, endpoints.AuthorityHost.AbsoluteUri, endpoints.PrometheusScope));
        }

        [Fact]
        public void A_custom_cloud_needs_both_endpoints()
        {
            var error = Assert.Throws<KedaAksException>(() => CloudEndpoints.Resolve(new AzureSettings { ArmEndpoint = new Uri("https://arm.local") }));
            Assert.Equal("IncompleteCustomCloud", error.ErrorId);
        }

        [SkippableFact]
        public void Real_payloads_map_onto_the_output_types()
        {
            JsonNode? cluster = Example("Microsoft.ContainerService/2026-06-01/ManagedClustersGet.json");
            Skip.If(cluster is null, "../shared/fixtures is absent (a user's clone): the real ARM payload mapping is not checked.");

            AksCluster mapped = ArmModels.ToCluster(cluster);
            Assert.Equal(("clustername1", "rg1", "00000000-0000-0000-0000-000000000000"), (mapped.Name, mapped.ResourceGroupName, mapped.SubscriptionId));
            Assert.Equal("dnsprefix1-abcd1234.hcp.eastus.azmk8s.io", mapped.Fqdn);

            MonitorWorkspace workspace = ArmModels.ToWorkspace(Example("Microsoft.Monitor/2023-04-03/AzureMonitorWorkspacesGet.json")!);
            Assert.Equal("https://myAzureMonitorWorkspace-v8hx.eastus.prometheus.monitor.azure.com", workspace.PrometheusQueryEndpoint);

            RoleAssignment role = ArmModels.ToRoleAssignment(Example("Microsoft.Authorization/2022-04-01/RoleAssignments_CreateForResource.json", "201")!);
            Assert.Equal("ce2ce14e-85d7-4629-bdbc-454d0519d987", role.PrincipalId);
            Assert.Equal("/subscriptions/a925f2f7-5c63-4b7b-8799-25a5f97bc3b2/resourceGroups/testrg/providers/Microsoft.DocumentDb/databaseAccounts/test-db-account", role.Scope);
        }
    }
}
