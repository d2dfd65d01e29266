using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using KedaAks.Engine.Azure;
using Xunit;

namespace KedaAks.Engine.Tests
{
    public class AzureServiceTests
    {
        private static readonly CancellationToken None = CancellationToken.None;

        private static async Task<AksCluster> EnableAsync(AzureSandbox sandbox, RecordingHost host) =>
            await sandbox.Service.EnableWorkloadIdentityAsync(null, sandbox.Server.Arm.ClusterId, null, null, host.Call(sandbox.Settings()));

        private static WorkloadIdentityRequest Request(AksCluster cluster, AzureSandbox sandbox) => new()
        {
            Cluster = cluster,
            MonitorWorkspaces = new[] { sandbox.Server.Arm.WorkspaceId },
        };

        [Fact]
        public async Task Connect_signs_in_with_the_environment_and_reads_the_subscription()
        {
            await using AzureSandbox sandbox = await AzureSandbox.StartAsync();
            var host = new RecordingHost();
            AzureConnection connection = await sandbox.Service.ConnectAsync(host.Call(sandbox.Settings(TokenSource.Auto)));
            Assert.Equal("Environment (client secret)", connection.ResolvedTokenSource);
            Assert.Equal("KedaAks Sandbox", connection.SubscriptionName);
            Assert.Equal(AzureCloudName.Custom, connection.Environment);
            Assert.Contains(host.Verbose, v => v.Contains("token source Environment (client secret)", StringComparison.Ordinal));
            Assert.DoesNotContain(host.Verbose, v => v.Contains(sandbox.Server.Options.ClientSecret, StringComparison.Ordinal) || v.Contains("eyJ", StringComparison.Ordinal));
        }

        [Fact]
        public async Task A_wrong_secret_is_an_authentication_error_naming_the_sources_tried()
        {
            await using AzureSandbox sandbox = await AzureSandbox.StartAsync();
            sandbox.Environment["AZURE_CLIENT_SECRET"] = "wrong";
            var error = await Assert.ThrowsAsync<KedaAksException>(() => sandbox.Service.ConnectAsync(new RecordingHost().Call(sandbox.Settings(TokenSource.Auto))));
            Assert.Equal("AzureAuthenticationFailed", error.ErrorId);
            Assert.Equal(KedaErrorCategory.AuthenticationError, error.Category);
            Assert.True(error.Message.Contains("AADSTS7000215", StringComparison.Ordinal), error.Message);
            Assert.DoesNotContain("wrong", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task Get_cluster_maps_the_flags_and_missing_resources_are_arm_errors()
        {
            await using AzureSandbox sandbox = await AzureSandbox.StartAsync();
            AksCluster cluster = await sandbox.Service.GetClusterAsync(null, "keda-rg", "keda-aks", new RecordingHost().Call(sandbox.Settings()));
            Assert.Equal(("keda-aks", "keda-rg", "eastus"), (cluster.Name, cluster.ResourceGroupName, cluster.Location));
            Assert.False(cluster.OidcIssuerEnabled);
            Assert.False(cluster.WorkloadIdentityEnabled);

            var missing = await Assert.ThrowsAsync<KedaAksException>(() => sandbox.Service.GetClusterAsync(null, "keda-rg", "nope", new RecordingHost().Call(sandbox.Settings())));
            Assert.Equal(("ResourceNotFound", KedaErrorCategory.ObjectNotFound), (missing.ErrorId, missing.Category));
            var group = await Assert.ThrowsAsync<KedaAksException>(() => sandbox.Service.GetClusterAsync(null, "other-rg", "keda-aks", new RecordingHost().Call(sandbox.Settings())));
            Assert.Equal("ResourceGroupNotFound", group.ErrorId);
            Assert.Contains("other-rg", group.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task Enable_does_what_az_aks_update_does_and_a_rerun_writes_nothing()
        {
            await using AzureSandbox sandbox = await AzureSandbox.StartAsync(o => o.ClusterOperationPolls = 3);
            var host = new RecordingHost();
            AksCluster enabled = await EnableAsync(sandbox, host);
            Assert.True(enabled.OidcIssuerEnabled);
            Assert.True(enabled.WorkloadIdentityEnabled);
            Assert.Equal("Succeeded", enabled.ProvisioningState);
            Assert.Equal(sandbox.Server.Arm.IssuerUrl, enabled.OidcIssuerUrl);
            Assert.EndsWith("/", enabled.OidcIssuerUrl, StringComparison.Ordinal);
            Assert.Equal(1, sandbox.Server.WriteCount);
            Assert.Equal(3, sandbox.Server.Requests.Count(r => r.Path.Contains("/operations/", StringComparison.Ordinal)));
            Assert.Contains(host.Progress, p => p.Completed);

            sandbox.Server.ClearLog();
            await EnableAsync(sandbox, new RecordingHost());
            Assert.Equal(0, sandbox.Server.WriteCount);
        }

        [Fact]
        public async Task Enable_under_WhatIf_reads_but_never_writes()
        {
            await using AzureSandbox sandbox = await AzureSandbox.StartAsync();
            var host = new RecordingHost(shouldProcess: false);
            AksCluster cluster = await EnableAsync(sandbox, host);
            Assert.False(cluster.OidcIssuerEnabled);
            Assert.Equal(0, sandbox.Server.WriteCount);
            Assert.Contains(host.Questions, q => q.Action.Contains("OIDC issuer", StringComparison.Ordinal));
        }

        [Fact]
        public async Task New_workload_identity_creates_identity_credential_and_role_then_converges()
        {
            await using AzureSandbox sandbox = await AzureSandbox.StartAsync(o => o.PrincipalReplicationDelay = TimeSpan.FromMinutes(5));
            AksCluster cluster = await EnableAsync(sandbox, new RecordingHost());
            sandbox.Server.ClearLog();

            WorkloadIdentity identity = await sandbox.Service.NewWorkloadIdentityAsync(Request(cluster, sandbox), new RecordingHost().Call(sandbox.Settings()));
            Assert.Equal("keda-int-identity", identity.IdentityName);
            Assert.True(Guid.TryParse(identity.ClientId, out _));
            Assert.Equal(sandbox.Server.Options.TenantId, identity.TenantId);
            Assert.Equal(cluster.OidcIssuerUrl, identity.Issuer);
            Assert.Equal("system:serviceaccount:keda:keda-operator", identity.Subject);
            RoleAssignment role = Assert.Single(identity.RoleAssignments);
            Assert.Equal("Monitoring Data Reader", role.RoleName);
            Assert.Equal(identity.PrincipalId, role.PrincipalId);
            Assert.Equal("ServicePrincipal", role.PrincipalType);
            Assert.Equal(3, sandbox.Server.WriteCount);

            var credential = Assert.Single(sandbox.Server.Arm.Snapshot("federatedIdentityCredentials"));
            Assert.Equal(cluster.OidcIssuerUrl, credential["properties"]!["issuer"]!.GetValue<string>());
            Assert.Equal("api://AzureADTokenExchange", credential["properties"]!["audiences"]![0]!.GetValue<string>());

            sandbox.Server.ClearLog();
            WorkloadIdentity again = await sandbox.Service.NewWorkloadIdentityAsync(Request(cluster, sandbox), new RecordingHost().Call(sandbox.Settings()));
            Assert.Equal(0, sandbox.Server.WriteCount);
            Assert.Equal(identity.ClientId, again.ClientId);
            Assert.Equal(role.Id, Assert.Single(again.RoleAssignments).Id);
        }

        [Fact]
        public async Task New_workload_identity_under_WhatIf_writes_nothing()
        {
            await using AzureSandbox sandbox = await AzureSandbox.StartAsync(o => o.OidcIssuerEnabled = o.WorkloadIdentityEnabled = true);
            AksCluster cluster = await sandbox.Service.GetClusterAsync(sandbox.Server.Arm.ClusterId, null, null, new RecordingHost().Call(sandbox.Settings()));
            var host = new RecordingHost(shouldProcess: false);
            WorkloadIdentity identity = await sandbox.Service.NewWorkloadIdentityAsync(Request(cluster, sandbox), host.Call(sandbox.Settings()));
            Assert.Null(identity.ClientId);
            Assert.Equal(0, sandbox.Server.WriteCount);
            // The plan names the credential and the role as What if lines (ShouldProcess), not only in Verbose (issue 11).
            Assert.Contains(host.Questions, q => q.Target.StartsWith("federated credential 'kedaFedIdentity'", StringComparison.Ordinal)
                && q.Action.Contains("subject system:serviceaccount:keda:keda-operator", StringComparison.Ordinal));
        }

        [Fact]
        public async Task A_cluster_without_oidc_issuer_is_refused_before_any_write()
        {
            await using AzureSandbox sandbox = await AzureSandbox.StartAsync();
            AksCluster cluster = await sandbox.Service.GetClusterAsync(sandbox.Server.Arm.ClusterId, null, null, new RecordingHost().Call(sandbox.Settings()));
            var error = await Assert.ThrowsAsync<KedaAksException>(() => sandbox.Service.NewWorkloadIdentityAsync(Request(cluster, sandbox), new RecordingHost().Call(sandbox.Settings())));
            Assert.Equal("OidcIssuerNotEnabled", error.ErrorId);
            Assert.Contains("Enable-KedaAksWorkloadIdentity", error.RecommendedAction, StringComparison.Ordinal);
            Assert.Equal(0, sandbox.Server.WriteCount);
        }

        [Fact]
        public async Task An_existing_credential_with_the_same_issuer_and_subject_is_reported_not_duplicated()
        {
            await using AzureSandbox sandbox = await AzureSandbox.StartAsync(o => o.OidcIssuerEnabled = o.WorkloadIdentityEnabled = true);
            AksCluster cluster = await sandbox.Service.GetClusterAsync(sandbox.Server.Arm.ClusterId, null, null, new RecordingHost().Call(sandbox.Settings()));
            await sandbox.Service.NewWorkloadIdentityAsync(new WorkloadIdentityRequest { Cluster = cluster, FederatedCredentialName = "legacy-name" }, new RecordingHost().Call(sandbox.Settings()));

            var host = new RecordingHost();
            WorkloadIdentity identity = await sandbox.Service.NewWorkloadIdentityAsync(new WorkloadIdentityRequest { Cluster = cluster }, host.Call(sandbox.Settings()));
            Assert.Equal("legacy-name", identity.FederatedCredentialName);
            Assert.Single(sandbox.Server.Arm.Snapshot("federatedIdentityCredentials"));
            Assert.Contains(host.Warnings, w => w.Contains("'legacy-name'", StringComparison.Ordinal));
        }

        [Fact]
        public async Task A_concurrent_credential_write_conflict_is_retried()
        {
            await using AzureSandbox sandbox = await AzureSandbox.StartAsync(o => { o.OidcIssuerEnabled = o.WorkloadIdentityEnabled = true; o.ForcedCredentialConflicts = 2; });
            AksCluster cluster = await sandbox.Service.GetClusterAsync(sandbox.Server.Arm.ClusterId, null, null, new RecordingHost().Call(sandbox.Settings()));
            var host = new RecordingHost();
            await sandbox.Service.NewWorkloadIdentityAsync(new WorkloadIdentityRequest { Cluster = cluster }, host.Call(sandbox.Settings()));
            Assert.Equal(2, sandbox.Server.Requests.Count(r => r.Status == 409));
            Assert.Single(sandbox.Server.Arm.Snapshot("federatedIdentityCredentials"));
        }

        [Fact]
        public async Task Parallel_credentials_on_one_identity_are_serialized()
        {
            await using AzureSandbox sandbox = await AzureSandbox.StartAsync(o => o.OidcIssuerEnabled = o.WorkloadIdentityEnabled = true);
            AksCluster cluster = await sandbox.Service.GetClusterAsync(sandbox.Server.Arm.ClusterId, null, null, new RecordingHost().Call(sandbox.Settings()));
            await sandbox.Service.NewWorkloadIdentityAsync(new WorkloadIdentityRequest { Cluster = cluster }, new RecordingHost().Call(sandbox.Settings()));
            await Task.WhenAll(Enumerable.Range(0, 4).Select(i => sandbox.Service.NewWorkloadIdentityAsync(
                new WorkloadIdentityRequest { Cluster = cluster, FederatedCredentialName = $"fic-{i}", ServiceAccountNamespace = $"ns{i}" }, new RecordingHost().Call(sandbox.Settings()))));
            Assert.Equal(5, sandbox.Server.Arm.Snapshot("federatedIdentityCredentials").Count);
            Assert.DoesNotContain(sandbox.Server.Requests, r => r.Status == 409);
        }

        [Fact]
        public async Task Role_assignment_exists_under_another_name_counts_as_success()
        {
            await using AzureSandbox sandbox = await AzureSandbox.StartAsync(o => o.OidcIssuerEnabled = o.WorkloadIdentityEnabled = true);
            AksCluster cluster = await sandbox.Service.GetClusterAsync(sandbox.Server.Arm.ClusterId, null, null, new RecordingHost().Call(sandbox.Settings()));
            WorkloadIdentity identity = await sandbox.Service.NewWorkloadIdentityAsync(new WorkloadIdentityRequest { Cluster = cluster }, new RecordingHost().Call(sandbox.Settings()));

            // Someone (az role assignment create, with a random name) assigned the role already.
            using var client = new System.Net.Http.HttpClient(new System.Net.Http.HttpClientHandler
            {
                ServerCertificateCustomValidationCallback = (_, c, _, _) => sandbox.Server.Certificates.Validate(c),
            });
            string token = sandbox.Server.Tokens.Issue(sandbox.Server.Options.TenantId, "https://management.azure.com", "x", "y", TimeSpan.FromMinutes(5));
            var put = new System.Net.Http.HttpRequestMessage(System.Net.Http.HttpMethod.Put,
                $"{sandbox.Server.Url}{sandbox.Server.Arm.WorkspaceId}/providers/Microsoft.Authorization/roleAssignments/{Guid.NewGuid()}?api-version=2022-04-01")
            {
                Content = new System.Net.Http.StringContent(
                    $"{{\"properties\":{{\"roleDefinitionId\":\"/subscriptions/{sandbox.Server.Options.SubscriptionId}"
                        + $"/providers/Microsoft.Authorization/roleDefinitions/b0d8363b-8ddd-447d-831f-62ca05bff136\",\"principalId\":\"{identity.PrincipalId}"
                        + $"\",\"principalType\":\"ServicePrincipal\"}}}}",
                    System.Text.Encoding.UTF8, "application/json"),
            };
            put.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            Assert.Equal(System.Net.HttpStatusCode.Created, (await client.SendAsync(put)).StatusCode);

            RoleAssignment? role = await sandbox.Service.GrantMonitoringDataReaderAsync(identity.PrincipalId!, sandbox.Server.Arm.WorkspaceId, new RecordingHost().Call(sandbox.Settings()));
            Assert.NotNull(role);
            Assert.Equal(identity.PrincipalId, role!.PrincipalId);
            Assert.Single(sandbox.Server.Arm.Snapshot("roleAssignments"));
            Assert.Contains(sandbox.Server.Requests, r => r.Status == 409);
        }

        [Fact]
        public async Task Principal_not_found_is_retried_until_the_principal_replicates()
        {
            await using AzureSandbox sandbox = await AzureSandbox.StartAsync(o =>
            {
                o.OidcIssuerEnabled = o.WorkloadIdentityEnabled = true;
                o.StrictPrincipalReplication = true;
                o.PrincipalReplicationDelay = TimeSpan.FromSeconds(3);
            });
            AksCluster cluster = await sandbox.Service.GetClusterAsync(sandbox.Server.Arm.ClusterId, null, null, new RecordingHost().Call(sandbox.Settings()));
            var host = new RecordingHost();
            WorkloadIdentity identity = await sandbox.Service.NewWorkloadIdentityAsync(Request(cluster, sandbox), host.Call(sandbox.Settings()));
            Assert.Single(identity.RoleAssignments);
            Assert.Contains(sandbox.Server.Requests, r => r.Status == 400 && r.Path.Contains("roleAssignments", StringComparison.Ordinal));
            Assert.Contains(host.Verbose, v => v.Contains("has not replicated", StringComparison.Ordinal));
        }

        [Fact]
        public async Task A_scope_broader_than_the_workspace_warns()
        {
            await using AzureSandbox sandbox = await AzureSandbox.StartAsync();
            var host = new RecordingHost(shouldProcess: false);
            await sandbox.Service.GrantMonitoringDataReaderAsync(
                sandbox.Server.Arm.ClientPrincipalId, $"/subscriptions/{sandbox.Server.Options.SubscriptionId}/resourceGroups/keda-rg", host.Call(sandbox.Settings()));
            Assert.Contains(host.Warnings, w => w.Contains("not an Azure Monitor workspace", StringComparison.Ordinal));
        }

        [Fact]
        public async Task Remove_deletes_role_assignments_credential_and_identity()
        {
            await using AzureSandbox sandbox = await AzureSandbox.StartAsync(o => { o.OidcIssuerEnabled = o.WorkloadIdentityEnabled = true; o.PrincipalReplicationDelay = TimeSpan.Zero; });
            AksCluster cluster = await sandbox.Service.GetClusterAsync(sandbox.Server.Arm.ClusterId, null, null, new RecordingHost().Call(sandbox.Settings()));
            WorkloadIdentity identity = await sandbox.Service.NewWorkloadIdentityAsync(Request(cluster, sandbox), new RecordingHost().Call(sandbox.Settings()));

            await sandbox.Service.RemoveWorkloadIdentityAsync(
                new RemoveWorkloadIdentityRequest { IdentityResourceId = identity.IdentityResourceId, FederatedCredentialName = identity.FederatedCredentialName },
                new RecordingHost().Call(sandbox.Settings()));
            Assert.Empty(sandbox.Server.Arm.Snapshot("roleAssignments"));
            Assert.Empty(sandbox.Server.Arm.Snapshot("federatedIdentityCredentials"));
            Assert.Empty(sandbox.Server.Arm.Snapshot("userAssignedIdentities"));

            sandbox.Server.ClearLog();
            await sandbox.Service.RemoveWorkloadIdentityAsync(new RemoveWorkloadIdentityRequest { IdentityResourceId = identity.IdentityResourceId }, new RecordingHost().Call(sandbox.Settings()));
            Assert.Equal(0, sandbox.Server.WriteCount);
        }

        [Fact]
        public async Task Twenty_percent_injected_faults_still_converge_without_duplicates()
        {
            await using AzureSandbox sandbox = await AzureSandbox.StartAsync(o => { o.FaultRate = 0.2; o.Seed = 7; o.PrincipalReplicationDelay = TimeSpan.Zero; });
            AksCluster cluster = await EnableAsync(sandbox, new RecordingHost());
            WorkloadIdentity identity = await sandbox.Service.NewWorkloadIdentityAsync(Request(cluster, sandbox), new RecordingHost().Call(sandbox.Settings()));
            WorkloadIdentity again = await sandbox.Service.NewWorkloadIdentityAsync(Request(cluster, sandbox), new RecordingHost().Call(sandbox.Settings()));

            Assert.True(sandbox.Server.Requests.Count(r => r.Faulted) >= 3, "the run should have met injected faults");
            Assert.True(cluster.WorkloadIdentityEnabled);
            Assert.Equal(identity.ClientId, again.ClientId);
            Assert.Single(sandbox.Server.Arm.Snapshot("userAssignedIdentities"));
            Assert.Single(sandbox.Server.Arm.Snapshot("federatedIdentityCredentials"));
            Assert.Single(sandbox.Server.Arm.Snapshot("roleAssignments"));
        }

        [Fact]
        public async Task The_token_of_the_callers_az_context_is_used_when_there_is_one()
        {
            await using AzureSandbox sandbox = await AzureSandbox.StartAsync();
            sandbox.Environment.Clear();
            var host = new RecordingHost
            {
                AzContext = new AzContextInfo("pipeline@contoso.com", sandbox.Server.Options.TenantId, sandbox.Server.Options.SubscriptionId, "AzureCloud"),
                AzToken = resource => new HostAccessToken(
                    sandbox.Server.Tokens.Issue(sandbox.Server.Options.TenantId, resource, "p", "a", TimeSpan.FromMinutes(30)), DateTimeOffset.UtcNow.AddMinutes(30)),
            };
            AzureSettings settings = sandbox.Settings(TokenSource.Auto);
            settings.SubscriptionId = null;
            AzureConnection connection = await sandbox.Service.ConnectAsync(host.Call(settings));
            Assert.StartsWith("AzContext", connection.ResolvedTokenSource, StringComparison.Ordinal);
            Assert.Equal(sandbox.Server.Options.SubscriptionId, connection.SubscriptionId);
        }

        [Fact]
        public async Task No_subscription_anywhere_is_a_clear_error()
        {
            await using AzureSandbox sandbox = await AzureSandbox.StartAsync();
            AzureSettings settings = sandbox.Settings();
            settings.SubscriptionId = null;
            var error = await Assert.ThrowsAsync<KedaAksException>(() => sandbox.Service.GetClusterAsync(null, "keda-rg", "keda-aks", new RecordingHost().Call(settings)));
            Assert.Equal("NoSubscription", error.ErrorId);
            Assert.Contains("AZURE_SUBSCRIPTION_ID", error.RecommendedAction, StringComparison.Ordinal);
        }

        [Fact]
        public async Task Invalid_names_are_refused_before_anything_is_sent()
        {
            var service = new AzureService(new EngineOptions { Environment = new FakeEnvironment() });
            var cluster = new AksCluster
            {
                Name = "c", ResourceId = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/c", OidcIssuerEnabled = true, OidcIssuerUrl = "https://issuer/",
            };
            var error = await Assert.ThrowsAsync<KedaAksException>(() => service.NewWorkloadIdentityAsync(
                new WorkloadIdentityRequest { Cluster = cluster, FederatedCredentialName = "a b" }, new RecordingHost().Call(new AzureSettings { AccessToken = new System.Security.SecureString() })));
            Assert.Equal("InvalidFederatedCredentialName", error.ErrorId);
        }
    }
}
