using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using k8s.Models;
using KedaAks.Engine.Azure;
using KedaAks.Engine.Diagnostics;
using KedaAks.Engine.Diagnostics.Checks;
using KedaAks.Engine.Kubernetes;
using Xunit;

namespace KedaAks.Engine.Tests
{
    /// <summary>Each integration check against fake Kubernetes and Azure reads (no sandbox): Pass, Fail and Skipped.</summary>
    public class IntegrationCheckTests
    {
        private const string ClientId = "5a1c3d2e-9b8f-4e7a-8c6d-1f2e3a4b5c6d";
        private const string IdentityId = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/keda-id";

        private sealed class FakeGateway : IKubeGateway
        {
            public Exception? Down { get; set; }

            public V1ServiceAccount? Account { get; set; } = new()
            {
                Metadata = new V1ObjectMeta { Name = "keda-operator", Annotations = new Dictionary<string, string> { ["azure.workload.identity/client-id"] = ClientId } },
            };

            public List<V1Deployment> Deployments { get; } = new[] { "keda-operator", "keda-operator-metrics-apiserver", "keda-admission-webhooks" }.Select(n => new V1Deployment
            {
                Metadata = new V1ObjectMeta { Name = n },
                Spec = new V1DeploymentSpec
                {
                    Replicas = 1, Template = new V1PodTemplateSpec { Spec = new V1PodSpec { Containers = new[] { new V1Container { Image = "ghcr.io/kedacore/" + n + ":2.20.2" } } } },
                },
                Status = new V1DeploymentStatus { AvailableReplicas = 1 },
            }).ToList();

            public List<V1Pod> Pods { get; } = new() { Pod(injected: true) };

            public int VersionCalls { get; private set; }

            public Task<string> ServerVersionAsync(ClusterConnection connection, CallContext call)
            {
                VersionCalls++;
                return Down is null ? Task.FromResult("v1.33.2") : Task.FromException<string>(Down);
            }

            public Task<V1ServiceAccount?> ReadServiceAccountAsync(ClusterConnection connection, string ns, string name, CallContext call) => Task.FromResult(Account);

            public Task<IList<V1Deployment>> ListDeploymentsAsync(ClusterConnection connection, string ns, CallContext call) => Task.FromResult<IList<V1Deployment>>(Deployments);

            public Task<IList<V1Pod>> ListPodsAsync(ClusterConnection connection, string ns, string labelSelector, KubeOperation operation, CallContext call) => Task.FromResult<IList<V1Pod>>(Pods);

            public Task<JsonObject?> ReadAsync(ClusterConnection connection, KubeKind kind, string? ns, string name, KubeOperation operation, CallContext call) => throw new NotSupportedException();

            public Task<JsonObject> ApplyAsync(
                ClusterConnection connection, KubeKind kind, string? ns, string name, JsonObject body, bool dryRun, bool force, KubeOperation operation, CallContext call) =>
                throw new NotSupportedException();

            /// <summary>HorizontalPodAutoscalers in every namespace (the only kind the checks list through the gateway).</summary>
            public List<JsonObject> Hpas { get; } = new();

            public Task<IReadOnlyList<JsonObject>?> ListAsync(ClusterConnection connection, KubeKind kind, string? ns, KubeOperation operation, CallContext call) =>
                kind == KubeKind.HorizontalPodAutoscaler ? Task.FromResult<IReadOnlyList<JsonObject>?>(Hpas) : throw new NotSupportedException();

            public Task<bool> DeleteAsync(ClusterConnection connection, KubeKind kind, string? ns, string name, KubeOperation operation, CallContext call) => throw new NotSupportedException();

            public Task<bool?> CrdExistsAsync(ClusterConnection connection, string name, KubeOperation operation, CallContext call) => throw new NotSupportedException();

            public Task<Stream> ReadPodLogAsync(ClusterConnection connection, string ns, string pod, TimeSpan? since, int? tail, CallContext call) => throw new NotSupportedException();

            public Task<IList<V1Secret>> ListSecretsAsync(ClusterConnection connection, string labelSelector, CallContext call) => throw new NotSupportedException();

            public Task<string> RequestTokenAsync(ClusterConnection connection, string ns, string name, string audience, CallContext call) => throw new NotSupportedException();
        }

        private sealed class FakeKubernetes : IKubernetesService
        {
            public List<KedaResource> Resources { get; } = new();

            public bool CrdsMissing { get; set; }

            public List<Diagnosis> Log { get; } = new();

            public Task<IReadOnlyList<KedaResource>> GetAsync(ClusterConnection connection, string kind, string? ns, CallContext call) => CrdsMissing
                ? throw new KedaAksException("KedaNotInstalled", KedaErrorCategory.NotInstalled, "no CRDs", kind, null)
                : Task.FromResult<IReadOnlyList<KedaResource>>(Resources.Where(r => r.GetType().Name == kind
                    || (r is TriggerAuthentication t && t.IsClusterScoped == (kind == "ClusterTriggerAuthentication"))).ToList());

            public Task<IReadOnlyList<Diagnosis>> GetOperatorLogAsync(ClusterConnection connection, OperatorLogRequest request, CallContext call) => Task.FromResult<IReadOnlyList<Diagnosis>>(Log);

            public Task<ClusterConnection> ConnectAsync(ClusterTarget target, CallContext call) => throw new NotSupportedException();

            public Task<ServiceAccount> NewServiceAccountAsync(ClusterConnection connection, ServiceAccount account, CallContext call) => throw new NotSupportedException();

            public Task<IReadOnlyList<DeployOutcome>> DeployAsync(ClusterConnection connection, IReadOnlyList<DeployItem> items, DeployOptions options, CallContext call) =>
                throw new NotSupportedException();

            public Task<IReadOnlyList<DeployOutcome>> DeployAsync(Task<ClusterConnection> connection, IReadOnlyList<DeployItem> items, DeployOptions options,
                Func<ClusterConnection, IReadOnlyList<DeployItem>, IReadOnlyList<DeployItem>> choose, CallContext call) => throw new NotSupportedException();

            public Task<bool> RemoveAsync(ClusterConnection connection, string kind, string? ns, string name, CallContext call, bool force = false) => throw new NotSupportedException();
        }

        private sealed class FakeAzure : ICheckAzure
        {
            public UserAssignedIdentity? Identity { get; set; } = new(IdentityId, "keda-id", "eastus", ClientId, "t", "p-1");

            public List<FederatedCredential> Credentials { get; } = new()
            {
                new("kedaFedIdentity", "https://oidc/issuer/", "system:serviceaccount:keda:keda-operator", new[] { ArmApi.TokenExchangeAudience }),
            };

            public List<RoleAssignment> Roles { get; } = new();

            public Task<UserAssignedIdentity?> GetIdentityAsync(string id, CallContext call) => Task.FromResult(Identity);

            /// <summary>Other identities (TriggerAuthentication overrides) by client id, with their credentials; a client id not here is KEDA's own.</summary>
            public Dictionary<string, (UserAssignedIdentity? Identity, List<FederatedCredential> Credentials)> Others { get; } = new();

            public Task<UserAssignedIdentity?> FindIdentityByClientIdAsync(string subscriptionId, string clientId, CallContext call) =>
                Task.FromResult(Others.TryGetValue(clientId, out var other) ? other.Identity : Identity);

            public Task<IReadOnlyList<FederatedCredential>> ListFederatedCredentialsAsync(string identityId, CallContext call) =>
                Task.FromResult<IReadOnlyList<FederatedCredential>>(Others.Values.FirstOrDefault(o => o.Identity?.Id == identityId).Credentials ?? Credentials);

            public Task<List<RoleAssignment>> RoleAssignmentsAtAsync(string principalId, string scope, CallContext call) => Task.FromResult(Roles);
        }

        private static V1Pod Pod(bool injected) => new()
        {
            Metadata = new V1ObjectMeta { Name = "keda-operator-1", Labels = new Dictionary<string, string> { ["azure.workload.identity/use"] = "true" } },
            Status = new V1PodStatus { Phase = "Running" },
            Spec = new V1PodSpec
            {
                Containers = new[] { new V1Container { Name = "keda-operator", Env = injected
                    ? new[] { "AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_FEDERATED_TOKEN_FILE", "AZURE_AUTHORITY_HOST" }
                        .Select(n => new V1EnvVar { Name = n, Value = n == "AZURE_CLIENT_ID" ? ClientId : "x" }).ToList()
                    : new List<V1EnvVar>() } },
                Volumes = injected
                    ? new[]
                    {
                        new V1Volume
                        {
                            Name = "azure-identity-token",
                            Projected = new V1ProjectedVolumeSource
                            {
                                Sources = new[] { new V1VolumeProjection { ServiceAccountToken = new V1ServiceAccountTokenProjection { Path = "/p", Audience = ArmApi.TokenExchangeAudience } } },
                            },
                        },
                    }
                    : null,
            },
        };

        private sealed record Setup(FakeGateway Gateway, FakeKubernetes Kubernetes, FakeAzure Azure, IntegrationRequest Request);

        private static Setup NewSetup(bool connected = true) => new(new FakeGateway(), new FakeKubernetes(), new FakeAzure(), new IntegrationRequest
        {
            Cluster = new AksCluster { Name = "aks", SubscriptionId = "s", OidcIssuerEnabled = true, OidcIssuerUrl = "https://oidc/issuer/", WorkloadIdentityEnabled = true },
            Connection = connected ? new ClusterConnection { Name = "aks", Handle = "h" } : null,
            Identity = new WorkloadIdentity
            {
                IdentityName = "keda-id", IdentityResourceId = IdentityId, ClientId = ClientId, PrincipalId = "p-1", ServiceAccountNamespace = "keda", ServiceAccountName = "keda-operator",
            },
            WorkspaceId = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Monitor/accounts/amw",
        });

        private static async Task<Dictionary<string, CheckResult>> RunAsync(Setup setup)
        {
            setup.Azure.Roles.Add(new RoleAssignment
            {
                RoleDefinitionId = "/providers/Microsoft.Authorization/roleDefinitions/" + ArmApi.MonitoringDataReaderRoleId, Scope = setup.Request.WorkspaceId!,
            });
            var checks = new IntegrationChecks(setup.Kubernetes, setup.Gateway, setup.Azure);
            IReadOnlyList<CheckResult> results = await checks.RunAsync(setup.Request, new RecordingHost().Call());
            Assert.Equal(IntegrationChecks.Checks().Select(c => c.Name), results.Select(r => r.Check));
            return results.ToDictionary(r => r.Check);
        }

        [Fact]
        public async Task A_working_setup_passes_every_check_and_asks_the_cluster_once()
        {
            Setup setup = NewSetup();
            Dictionary<string, CheckResult> results = await RunAsync(setup);
            Assert.All(results.Values, r => Assert.Equal(CheckStatus.Pass, r.Status));
            Assert.Contains("2.20.2", results["KedaInstalled"].Message);
            Assert.Equal(1, setup.Gateway.VersionCalls);
        }

        [Fact]
        public async Task Without_a_connection_cluster_checks_are_skipped()
        {
            Dictionary<string, CheckResult> results = await RunAsync(NewSetup(connected: false));
            foreach (string check in new[] { "ServiceAccount", "KedaInstalled", "WorkloadIdentityInjection", "TriggerAuthenticationProviders", "ScaledObjectsReady", "OperatorLog" })
            {
                Assert.Equal(CheckStatus.Skipped, results[check].Status);
                Assert.Equal("No cluster connection.", results[check].Message);
            }

            Assert.Equal(CheckStatus.Pass, results["FederatedCredential"].Status);
        }

        [Fact]
        public async Task A_server_that_does_not_answer_fails_the_first_cluster_check_and_skips_the_others()
        {
            Setup setup = NewSetup();
            setup.Gateway.Down = new KedaAksException("ClusterServerError", KedaErrorCategory.ResourceUnavailable, "Connecting to cluster 'aks' failed: Bad Gateway", "aks", "Run again later.");
            Dictionary<string, CheckResult> results = await RunAsync(setup);
            Assert.Equal(CheckStatus.Fail, results["ServiceAccount"].Status);
            Assert.Contains("Bad Gateway", results["ServiceAccount"].Message);
            Assert.Equal("Run again later.", results["ServiceAccount"].Remedy);
            Assert.Equal(CheckStatus.Skipped, results["KedaInstalled"].Status);
            Assert.Contains("see ServiceAccount", results["OperatorLog"].Message);
        }

        [Fact]
        public async Task Cluster_flags_fail_and_skip_what_they_explain()
        {
            Setup setup = NewSetup();
            setup.Request.Cluster!.WorkloadIdentityEnabled = false;
            setup.Request.Cluster.OidcIssuerEnabled = false;
            Dictionary<string, CheckResult> results = await RunAsync(setup);
            Assert.Equal(CheckStatus.Fail, results["ClusterOidcIssuer"].Status);
            Assert.Equal(CheckStatus.Fail, results["ClusterWorkloadIdentity"].Status);
            Assert.Equal(CheckStatus.Skipped, results["WorkloadIdentityInjection"].Status);

            results = await RunAsync(NewSetup() with { Request = new IntegrationRequest() });
            Assert.Equal(CheckStatus.Skipped, results["ClusterOidcIssuer"].Status);
            Assert.Equal(CheckStatus.Skipped, results["ClusterWorkloadIdentity"].Status);
        }

        [Fact]
        public async Task Service_account_and_identity_failures_are_named()
        {
            Setup setup = NewSetup();
            setup.Gateway.Account = null;
            setup.Azure.Identity = null;
            Dictionary<string, CheckResult> results = await RunAsync(setup);
            Assert.Matches("does not exist", results["ServiceAccount"].Message);
            Assert.Equal(CheckStatus.Fail, results["WorkloadIdentity"].Status);
            Assert.Equal("No identity to check.", results["FederatedCredential"].Message);

            setup = NewSetup();
            setup.Request.Identity = null;
            results = await RunAsync(setup);
            Assert.Equal(CheckStatus.Pass, results["WorkloadIdentity"].Status);
            Assert.Contains("found from the service account", results["WorkloadIdentity"].Message);
        }

        [Fact]
        public async Task A_federated_credential_that_differs_names_the_difference()
        {
            Setup setup = NewSetup();
            setup.Azure.Credentials[0] = setup.Azure.Credentials[0] with { Issuer = "https://oidc/issuer" };
            Dictionary<string, CheckResult> results = await RunAsync(setup);
            Assert.Equal(CheckStatus.Fail, results["FederatedCredential"].Status);
            Assert.Contains("trailing slash", results["FederatedCredential"].Message);
            Assert.Equal(DiagnosisCode.FederatedCredentialMismatch, results["FederatedCredential"].Diagnosis!.Code);
        }

        [Fact]
        public async Task A_missing_role_fails_monitoring_data_reader()
        {
            Setup setup = NewSetup();
            setup.Request.WorkspaceId = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Monitor/accounts/other";
            var checks = new IntegrationChecks(setup.Kubernetes, setup.Gateway, setup.Azure);
            CheckResult result = (await checks.RunAsync(setup.Request, new RecordingHost().Call())).Single(r => r.Check == "MonitoringDataReader");
            Assert.Equal(CheckStatus.Fail, result.Status);
            Assert.Equal(DiagnosisCode.MonitoringDataReaderMissing, result.Diagnosis!.Code);
        }

        [Fact]
        public async Task Keda_too_old_or_absent_fails_keda_installed()
        {
            Setup setup = NewSetup();
            setup.Gateway.Deployments[0].Spec.Template.Spec.Containers[0].Image = "ghcr.io/kedacore/keda:2.9.3";
            Dictionary<string, CheckResult> results = await RunAsync(setup);
            Assert.Matches(@"KEDA 2\.9\.3 is installed", results["KedaInstalled"].Message);

            setup = NewSetup();
            setup.Gateway.Deployments.Clear();
            setup.Gateway.Pods.Clear();
            results = await RunAsync(setup);
            Assert.Matches("not installed", results["KedaInstalled"].Message);
            Assert.Equal(CheckStatus.Skipped, results["WorkloadIdentityInjection"].Status);
        }

        [Fact]
        public async Task A_pod_without_the_identity_fails_injection()
        {
            Setup setup = NewSetup();
            setup.Gateway.Pods[0] = Pod(injected: false);
            Dictionary<string, CheckResult> results = await RunAsync(setup);
            Assert.Equal(CheckStatus.Fail, results["WorkloadIdentityInjection"].Status);
            Assert.Contains("the projected token volume", results["WorkloadIdentityInjection"].Message);
        }

        [Fact]
        public async Task Providers_and_scaled_objects_fail_or_skip()
        {
            Setup setup = NewSetup();
            setup.Kubernetes.Resources.Add(new TriggerAuthentication("old", "app", false, PodIdentityProvider.Azure, null, null, null));
            setup.Kubernetes.Resources.Add(new ScaledObject("web", "app", "web", "Deployment", "apps/v1", 0, 10, 30, 300, null, Array.Empty<ScaledObjectTrigger>()) { Ready = "False", Message = "x" });
            Dictionary<string, CheckResult> results = await RunAsync(setup);
            Assert.Equal(CheckStatus.Fail, results["TriggerAuthenticationProviders"].Status);
            Assert.Equal(CheckStatus.Fail, results["ScaledObjectsReady"].Status);

            setup = NewSetup();
            setup.Kubernetes.CrdsMissing = true;
            results = await RunAsync(setup);
            Assert.Equal("KEDA's CRDs are not installed.", results["TriggerAuthenticationProviders"].Message);
            Assert.Equal("KEDA's CRDs are not installed.", results["ScaledObjectsReady"].Message);
        }

        [Fact]
        public async Task A_scaled_object_without_status_is_a_warning_not_a_pass()
        {
            Setup setup = NewSetup();
            setup.Kubernetes.Resources.Add(new ScaledObject("web", "app", "web", "Deployment", "apps/v1", 0, 10, 30, 300, null, Array.Empty<ScaledObjectTrigger>()) { Ready = "True" });
            setup.Kubernetes.Resources.Add(new ScaledObject("new", "app", "new", "Deployment", "apps/v1", 0, 10, 30, 300, null, Array.Empty<ScaledObjectTrigger>()));
            CheckResult result = (await RunAsync(setup))["ScaledObjectsReady"];
            Assert.Equal(CheckStatus.Warning, result.Status);
            Assert.Contains("app/new", result.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("app/web", result.Message, StringComparison.Ordinal);
            Assert.Contains("keda-operator", result.Remedy, StringComparison.Ordinal);
        }

        private static JsonObject Hpa(string name, string target, DateTimeOffset created, string? owner = null) => new()
        {
            ["apiVersion"] = "autoscaling/v2", ["kind"] = "HorizontalPodAutoscaler",
            ["metadata"] = new JsonObject
            {
                ["name"] = name, ["namespace"] = "app", ["creationTimestamp"] = created.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
                ["ownerReferences"] = owner is null ? new JsonArray() : new JsonArray(new JsonObject { ["kind"] = "ScaledObject", ["name"] = owner }),
            },
            ["spec"] = new JsonObject { ["scaleTargetRef"] = new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["name"] = target } },
        };

        [Fact]
        public async Task An_hpa_created_after_a_scaled_object_on_its_target_fails_as_a_fight()
        {
            var created = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
            Setup setup = NewSetup();
            setup.Kubernetes.Resources.Add(new ScaledObject("web", "app", "web", "Deployment", "apps/v1", 0, 10, 30, 300, null, Array.Empty<ScaledObjectTrigger>())
            {
                Ready = "True", CreationTimestamp = created,
            });
            setup.Gateway.Hpas.Add(Hpa("keda-hpa-web", "web", created.AddSeconds(2), owner: "web"));
            setup.Gateway.Hpas.Add(Hpa("other-app-hpa", "other", created.AddMinutes(1)));
            Assert.Equal(CheckStatus.Pass, (await RunAsync(setup))["CompetingHpas"].Status);

            setup.Gateway.Hpas.Add(Hpa("web-cpu", "web", created.AddMinutes(90)));
            CheckResult fight = (await RunAsync(setup))["CompetingHpas"];
            Assert.Equal(CheckStatus.Fail, fight.Status);
            Assert.Contains("HPA app/web-cpu also scales Deployment 'web', created 1:30:00 after the ScaledObject", fight.Message, StringComparison.Ordinal);
            Assert.Contains("keda-hpa-web", fight.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("other-app-hpa", fight.Message, StringComparison.Ordinal);
            Assert.NotNull(fight.Remedy);
        }

        [Fact]
        public async Task Operator_errors_warn_when_a_failed_check_explains_them_and_fail_otherwise()
        {
            Setup setup = NewSetup();
            setup.Kubernetes.Log.Add(new Diagnosis { Code = DiagnosisCode.MonitoringDataReaderMissing, Count = 3 });
            Dictionary<string, CheckResult> results = await RunAsync(setup);
            Assert.Equal(CheckStatus.Fail, results["OperatorLog"].Status);

            setup = NewSetup();
            setup.Request.WorkspaceId = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Monitor/accounts/other";
            setup.Kubernetes.Log.Add(new Diagnosis { Code = DiagnosisCode.MonitoringDataReaderMissing, Count = 3 });
            var checks = new IntegrationChecks(setup.Kubernetes, setup.Gateway, setup.Azure);
            CheckResult log = (await checks.RunAsync(setup.Request, new RecordingHost().Call())).Single(r => r.Check == "OperatorLog");
            Assert.Equal(CheckStatus.Warning, log.Status);
            Assert.Contains("explained by the failed checks", log.Message);

            setup = NewSetup();
            setup.Kubernetes.Log.Add(new Diagnosis { Code = DiagnosisCode.Unknown, Count = 1 });
            Assert.Equal(CheckStatus.Warning, (await RunAsync(setup))["OperatorLog"].Status);
        }

        private const string OtherClientId = "0b7e2f1a-3c4d-4e5f-8a9b-0c1d2e3f4a5b";

        private static Setup WithOverride(int credentials, bool matching)
        {
            Setup setup = NewSetup();
            var identity = new UserAssignedIdentity(
                "/subscriptions/s/resourceGroups/apps/providers/Microsoft.ManagedIdentity/userAssignedIdentities/app-id", "app-id", "eastus", OtherClientId, "t", "p-2");
            var list = Enumerable.Range(0, credentials).Select(i => new FederatedCredential("other" + i, "https://oidc/issuer/", "system:serviceaccount:app:web" + i,
                new[] { ArmApi.TokenExchangeAudience })).ToList();
            if (matching)
            {
                list[^1] = new FederatedCredential("kedaFedIdentity", "https://oidc/issuer/", "system:serviceaccount:keda:keda-operator", new[] { ArmApi.TokenExchangeAudience });
            }

            setup.Azure.Others[OtherClientId] = (identity, list);
            setup.Kubernetes.Resources.Add(new TriggerAuthentication("prom", "app", false, PodIdentityProvider.AzureWorkload, OtherClientId, null, null));
            setup.Kubernetes.Resources.Add(new TriggerAuthentication("default", "app", false, PodIdentityProvider.AzureWorkload, null, null, null));
            return setup;
        }

        [Fact]
        public async Task Trigger_authentication_identities_pass_without_overrides_and_with_a_matching_credential()
        {
            Dictionary<string, CheckResult> results = await RunAsync(NewSetup());
            Assert.Equal(CheckStatus.Pass, results["TriggerAuthenticationIdentities"].Status);
            Assert.Contains("No TriggerAuthentication overrides the identity", results["TriggerAuthenticationIdentities"].Message);

            results = await RunAsync(WithOverride(credentials: 2, matching: true));
            Assert.Equal(CheckStatus.Pass, results["TriggerAuthenticationIdentities"].Status);
            Assert.Contains("'app-id'", results["TriggerAuthenticationIdentities"].Message);
            Assert.Contains("system:serviceaccount:keda:keda-operator", results["TriggerAuthenticationIdentities"].Message);
        }

        [Fact]
        public async Task A_trigger_authentication_identity_without_the_operators_credential_fails_with_the_fix()
        {
            Setup setup = WithOverride(credentials: 1, matching: false);
            setup.Azure.Others["1c2d3e4f-0000-4000-8000-000000000001"] = (null, new List<FederatedCredential>());
            setup.Kubernetes.Resources.Add(new TriggerAuthentication("gone", null, true, PodIdentityProvider.AzureWorkload, "1c2d3e4f-0000-4000-8000-000000000001", null, null));
            CheckResult result = (await RunAsync(setup))["TriggerAuthenticationIdentities"];
            Assert.Equal(CheckStatus.Fail, result.Status);
            Assert.Contains($"identityId {OtherClientId} (identity 'app-id', used by", result.Message);
            Assert.Contains("has no federated credential for subject system:serviceaccount:keda:keda-operator", result.Message);
            Assert.Contains("1c2d3e4f-0000-4000-8000-000000000001", result.Message);
            Assert.Contains("New-KedaWorkloadIdentity -ClusterName aks -IdentityName app-id -IdentityResourceGroupName apps", result.Remedy);
            Assert.Contains("az identity federated-credential create --identity-name app-id --resource-group apps", result.Remedy);
            Assert.Contains("--subject system:serviceaccount:keda:keda-operator --audiences api://AzureADTokenExchange", result.Remedy);

            setup = WithOverride(credentials: 2, matching: true);
            setup.Request.Namespace = "kube-system";
            result = (await RunAsync(setup))["TriggerAuthenticationIdentities"];
            Assert.Equal(CheckStatus.Fail, result.Status);
            Assert.Contains("subject system:serviceaccount:kube-system:keda-operator", result.Message);
            Assert.Contains("-FederatedCredentialName keda-kube-system-keda-operator", result.Remedy);
        }

        [Fact]
        public async Task A_trigger_authentication_identity_near_the_limit_or_not_found_warns()
        {
            CheckResult result = (await RunAsync(WithOverride(credentials: 18, matching: true)))["TriggerAuthenticationIdentities"];
            Assert.Equal(CheckStatus.Warning, result.Status);
            Assert.Contains("has 18 of Entra's 20 federated credentials", result.Message);

            result = (await RunAsync(WithOverride(credentials: 20, matching: false)))["TriggerAuthenticationIdentities"];
            Assert.Equal(CheckStatus.Fail, result.Status);
            Assert.Contains("already has 20, Entra's limit", result.Message);
            Assert.StartsWith("First delete an unused credential of 'app-id'", result.Remedy);

            Setup setup = WithOverride(credentials: 1, matching: true);
            setup.Azure.Others[OtherClientId] = (null, new List<FederatedCredential>());
            result = (await RunAsync(setup))["TriggerAuthenticationIdentities"];
            Assert.Equal(CheckStatus.Warning, result.Status);
            Assert.Contains($"IdentityId {OtherClientId} (used by", result.Message);
            Assert.Contains("is not an identity in subscription s", result.Message);
        }

        [Fact]
        public async Task Trigger_authentication_identities_are_skipped_without_a_cluster()
        {
            Setup setup = WithOverride(credentials: 1, matching: false);
            setup.Request.Cluster = null;
            Assert.Equal(CheckStatus.Skipped, (await RunAsync(setup))["TriggerAuthenticationIdentities"].Status);
            Assert.Equal("No cluster connection.", (await RunAsync(NewSetup(connected: false)))["TriggerAuthenticationIdentities"].Message);

            setup = WithOverride(credentials: 1, matching: false);
            setup.Kubernetes.CrdsMissing = true;
            Assert.Equal("KEDA's CRDs are not installed.", (await RunAsync(setup))["TriggerAuthenticationIdentities"].Message);
        }
    }
}
