using KedaAks.Engine.Boundary;
using KedaAks.Engine.Diagnostics;
using KedaAks.Engine.Diagnostics.Checks;

namespace KedaAks.Engine.Integration
{
    /// <summary>
    /// The article as one command. Azure first (<see cref="AzureSteps"/>: a dependency graph of reads and writes), the cluster next
    /// (<see cref="ClusterSteps"/>: namespace, service account, KEDA), then the proof that the federation works and the integration checks.
    /// Every step reads before it writes and writes only what differs, so a re-run converges with no write and a stopped run is finished
    /// by the next one. Under -WhatIf (or for Get-KedaIntegrationPlan) the same steps are decided and reported, and nothing is written.
    /// </summary>
    internal sealed class AksIntegration : IAksIntegration
    {
        private readonly AzureService _azure;
        private readonly KubernetesService _kubernetes;
        private readonly AzureSteps _azureSteps;
        private readonly ClusterSteps _clusterSteps;
        private readonly WorkloadIdentityProbe _probe;
        private readonly Uninstaller _uninstaller;

        public AksIntegration(AzureService azure, KubernetesService kubernetes, ClusterSteps clusterSteps, WorkloadIdentityProbe probe, Uninstaller uninstaller, EngineOptions options)
        {
            _azure = azure;
            _kubernetes = kubernetes;
            _azureSteps = new AzureSteps(azure, options);
            _clusterSteps = clusterSteps;
            _probe = probe;
            _uninstaller = uninstaller;
        }

        public async Task<IReadOnlyList<IntegrationStep>> PlanAsync(AksIntegrationRequest request, CallContext call)
        {
            var log = new StepLog(call.Host, planOnly: true, request.Cluster?.Name ?? request.ClusterName);
            await RunAsync(request, log, call).ConfigureAwait(false);
            return log.Steps;
        }

        public async Task<IntegrationResult?> InstallAsync(AksIntegrationRequest request, CallContext call)
        {
            var log = new StepLog(call.Host, planOnly: false, request.Cluster?.Name ?? request.ClusterName);
            IntegrationResult result = await RunAsync(request, log, call).ConfigureAwait(false);
            return log.Planning ? null : result;
        }

        public Task<IReadOnlyList<IntegrationStep>> UninstallAsync(AksIntegrationRequest request, CallContext call) => _uninstaller.RunAsync(request, call);

        private async Task<IntegrationResult> RunAsync(AksIntegrationRequest request, StepLog log, CallContext call)
        {
            log.Progress("Reading the cluster, the identity and the workspaces", 5);

            // The cluster connection needs only the cluster's id: it is made while ARM is read and written.
            Task<ClusterConnection> connecting = _kubernetes.ConnectAsync(Target(request), call);
            AzureFacts facts;
            WorkloadIdentity identity;
            try
            {
                (facts, identity) = await _azureSteps.RunAsync(request, log, call).ConfigureAwait(false);
            }
            catch
            {
                connecting.ObserveFailure();
                throw;
            }

            var result = new IntegrationResult { Cluster = facts.Cluster, WorkloadIdentity = identity, InstallMethod = facts.Mode };
            ClusterConnection connection = await connecting.ConfigureAwait(false);
            log.Progress("Namespace and service account", 45);
            result.ServiceAccount = await _clusterSteps.ServiceAccountAsync(connection, facts, identity, request.Timeout, log, call).ConfigureAwait(false);
            log.Progress(facts.Mode == InstallModes.AksAddon ? "KEDA (the AKS add-on)" : "KEDA (Helm)", 60);
            result.Installation = await _clusterSteps.KedaAsync(connection, facts, identity, request, log, call).ConfigureAwait(false);
            if (log.Planning)
            {
                result.Steps = log.Steps;
                call.Host.WriteProgress(StepLog.Activity, string.Empty, completed: true);
                return result;
            }

            Remember(facts, identity);
            MonitorWorkspace? workspace = facts.Workspaces.FirstOrDefault();
            if (!request.SkipProof && workspace is not null)
            {
                log.Progress("Proving the federation (Wait-KedaWorkloadIdentity)", 75);
                TimeSpan interval = TimeSpan.FromSeconds(Math.Clamp(request.Timeout.TotalSeconds / 10, 1, 10));
                result.Proof = await _probe.WaitAsync(connection, identity, workspace.PrometheusQueryEndpoint ?? workspace.ResourceId, request.Timeout, interval, call)
                    .ConfigureAwait(false);
            }

            string proved = $"service account token exchanged with Entra{(result.Proof?.QuerySucceeded == true ? ", workspace queried" : string.Empty)}";
            Note(log, "Proof", result.Proof is null ? "Skipped" : "Proved", proved,
                request.SkipProof ? "skipped (-SkipProof)" : workspace is null ? "skipped: no -MonitorWorkspace" : $"after {result.Proof?.ExchangeAttempts} attempt(s)");
            log.Progress("Checking the integration (Test-KedaIntegration)", 90);
            var checks = new IntegrationChecks(_kubernetes, _kubernetes.Gateway, new KnownAzure(new AzureCheckSource(_azure), facts));
            result.Checks = await checks.RunAsync(new IntegrationRequest
            {
                Cluster = facts.Cluster, Connection = connection, Identity = identity, WorkspaceId = workspace?.ResourceId, Namespace = facts.Namespace,
                ServiceAccountName = facts.ServiceAccount,
            }, call).ConfigureAwait(false);
            result.Succeeded = result.Checks.All(c => c.Status != CheckStatus.Fail);
            Note(log, "Checks", result.Succeeded ? "Passed" : "Failed", $"{result.Checks.Count} checks",
                string.Join(", ", result.Checks.GroupBy(c => c.Status).Select(g => $"{g.Count()} {g.Key}")));
            result.Steps = log.Steps;
            call.Host.WriteProgress(StepLog.Activity, string.Empty, completed: true);
            return result;
        }

        /// <summary>The connection the cluster steps use: a kubeconfig when one was named, otherwise ARM's credentials for the cluster, in memory.</summary>
        internal static ClusterTarget Target(AksIntegrationRequest request) => request.KubeconfigPath is not null || request.Context is not null
            ? new ClusterTarget { KubeconfigPath = request.KubeconfigPath, Context = request.Context }
            : new ClusterTarget
            {
                Cluster = request.Cluster, ClusterResourceId = request.ClusterResourceId, ResourceGroupName = request.ResourceGroupName, ClusterName = request.ClusterName,
                Admin = request.Admin,
            };

        /// <summary>What the run wrote, added to what it read, so the checks need no ARM read of their own.</summary>
        private static void Remember(AzureFacts facts, WorkloadIdentity identity)
        {
            if (identity.ClientId is not null)
            {
                facts.Identity = new UserAssignedIdentity(identity.IdentityResourceId ?? facts.IdentityId, identity.IdentityName, identity.Location, identity.ClientId, identity.TenantId,
                    identity.PrincipalId, facts.Identity?.Tags);
            }

            if (identity.Issuer is not null)
            {
                facts.Credentials.RemoveAll(c => c.Name == identity.FederatedCredentialName);
                facts.Credentials.Add(new FederatedCredential(identity.FederatedCredentialName, identity.Issuer, identity.Subject, new[] { identity.Audience }));
            }

            foreach (RoleAssignment role in identity.RoleAssignments)
            {
                string scope = facts.Workspaces.Select(w => w.ResourceId!).FirstOrDefault(w => w.StartsWith(role.Scope, StringComparison.OrdinalIgnoreCase)) ?? role.Scope;
                if (!facts.Roles.TryGetValue(scope, out List<RoleAssignment>? roles))
                {
                    facts.Roles[scope] = roles = new List<RoleAssignment>();
                }

                if (roles.All(r => !string.Equals(r.Id, role.Id, StringComparison.OrdinalIgnoreCase)))
                {
                    roles.Add(role);
                }
            }
        }

        private static void Note(StepLog log, string step, string outcome, string target, string detail) =>
            log.Record(new IntegrationStep { Step = step, Action = IntegrationAction.NoChange, Target = target, Detail = detail, Outcome = outcome });
    }
}
