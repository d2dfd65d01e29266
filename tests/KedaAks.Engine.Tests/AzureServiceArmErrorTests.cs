using System;
using System.Net;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace KedaAks.Engine.Tests
{
    /// <summary>The engine turns the sandbox's ARM refusals into clear errors (the sandbox's own fidelity is tested in KedaAks.Sandbox.Tests).</summary>
    public class AzureServiceArmErrorTests
    {
        private const string Credential = "{\"properties\":{\"issuer\":\"https://eastus.oic.prod-aks.azure.com/t/i/\","
            + "\"subject\":\"system:serviceaccount:keda:keda-operator\",\"audiences\":[\"api://AzureADTokenExchange\"]}}";

        [Fact]
        public async Task A_role_assignment_name_taken_by_another_principal_is_a_clear_error()
        {
            await using AzureSandbox sandbox = await AzureSandbox.StartAsync(o => { o.OidcIssuerEnabled = o.WorkloadIdentityEnabled = true; o.PrincipalReplicationDelay = TimeSpan.Zero; });
            AksCluster cluster = await sandbox.Service.GetClusterAsync(sandbox.Server.Arm.ClusterId, null, null, new RecordingHost().Call(sandbox.Settings()));
            WorkloadIdentity identity = await sandbox.Service.NewWorkloadIdentityAsync(new WorkloadIdentityRequest { Cluster = cluster }, new RecordingHost().Call(sandbox.Settings()));

            // The deterministic name for this identity, already used by a deleted-and-recreated identity's old principal.
            string name = Azure.ArmApi.RoleAssignmentName(sandbox.Server.Arm.WorkspaceId, identity.PrincipalId!, Azure.ArmApi.MonitoringDataReaderRoleId);
            string role = $"/subscriptions/{sandbox.Server.Options.SubscriptionId}/providers/Microsoft.Authorization/roleDefinitions/{Azure.ArmApi.MonitoringDataReaderRoleId}";
            var (created, _) = await sandbox.SendRawAsync(HttpMethod.Put, $"{sandbox.Server.Arm.WorkspaceId}/providers/Microsoft.Authorization/roleAssignments/{name}",
                $"{{\"properties\":{{\"roleDefinitionId\":\"{role}\",\"principalId\":\"{sandbox.Server.Arm.ClientPrincipalId}\",\"principalType\":\"ServicePrincipal\"}}}}", "2022-04-01");
            Assert.Equal(HttpStatusCode.Created, created);

            var error = await Assert.ThrowsAsync<KedaAksException>(() => sandbox.Service.GrantMonitoringDataReaderAsync(
                identity.PrincipalId!, sandbox.Server.Arm.WorkspaceId, new RecordingHost().Call(sandbox.Settings())));
            Assert.Equal("RoleAssignmentUpdateNotPermitted", error.ErrorId);
            Assert.Contains("Remove-KedaWorkloadIdentity", error.RecommendedAction, StringComparison.Ordinal);
        }

        [Fact]
        public async Task An_identity_at_the_credential_limit_is_refused_before_the_write()
        {
            await using AzureSandbox sandbox = await AzureSandbox.StartAsync(o => o.OidcIssuerEnabled = o.WorkloadIdentityEnabled = true);
            AksCluster cluster = await sandbox.Service.GetClusterAsync(sandbox.Server.Arm.ClusterId, null, null, new RecordingHost().Call(sandbox.Settings()));
            await sandbox.SendRawAsync(HttpMethod.Put, sandbox.IdentityPath("keda-int-identity"), "{\"location\":\"eastus\"}");
            for (int i = 0; i < 20; i++)
            {
                await sandbox.SendRawAsync(HttpMethod.Put, sandbox.IdentityPath("keda-int-identity") + "/federatedIdentityCredentials/other" + i,
                    Credential.Replace("keda-operator", "other" + i, StringComparison.Ordinal));
            }

            var error = await Assert.ThrowsAsync<KedaAksException>(() => sandbox.Service.NewWorkloadIdentityAsync(
                new WorkloadIdentityRequest { Cluster = cluster }, new RecordingHost().Call(sandbox.Settings())));
            Assert.Equal(("TooManyFederatedCredentials", KedaErrorCategory.LimitsExceeded), (error.ErrorId, error.Category));
        }
    }
}
