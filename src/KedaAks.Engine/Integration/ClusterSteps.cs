using k8s.Models;
using KedaAks.Engine.Helm;

namespace KedaAks.Engine.Integration
{
    /// <summary>
    /// The article's cluster steps for the integration: the namespace and the annotated service account (marked when the integration
    /// creates them), then KEDA: a Helm release compared with the desired chart version and values before helm runs (so a converged
    /// re-run makes no new revision), or the AKS add-on's operator restarted when the webhook has not injected the identity yet.
    /// </summary>
    internal sealed class ClusterSteps(IKubeGateway gateway, HelmService helm, KedaAddon addon, KedaInstallations installations)
    {
        private const string PendingClientId = "<client id of the new identity>";
        private static readonly Dictionary<string, string> Mark = new() { [Ownership.Annotation] = Ownership.Creator };

        private readonly ResourceApplier _applier = new(gateway);

        public async Task<ServiceAccount?> ServiceAccountAsync(ClusterConnection connection, AzureFacts facts, WorkloadIdentity identity, TimeSpan timeout, StepLog log,
            CallContext call)
        {
            string ns = facts.Namespace;
            string name = facts.ServiceAccount;
            bool onAddon = facts.Mode == InstallModes.AksAddon;
            var operation = new KubeOperation($"{ns}/{name}", $"Reading namespace '{ns}'");
            JsonObject? space = await gateway.ReadAsync(connection, KubeKind.Named("Namespace"), null, ns, operation, call).ConfigureAwait(false);
            V1ServiceAccount? account = await gateway.ReadServiceAccountAsync(connection, ns, name, call).ConfigureAwait(false);
            if (onAddon && account is null && !log.Planning)
            {
                account = await WaitForAddonAccountAsync(connection, ns, name, timeout, call).ConfigureAwait(false);
            }

            bool namespaceOurs = !onAddon && (space is null || Marked(space["metadata"]?["annotations"]?[Ownership.Annotation]?.GetValue<string>()));
            var namespaceStep = new IntegrationStep
            {
                Step = "Namespace",
                Target = $"namespace '{ns}' on cluster '{connection.Name}'",
                Action = space is null ? IntegrationAction.Create : IntegrationAction.NoChange,
                Detail = space is null ? $"annotation {Ownership.Annotation}={Ownership.Creator}" : "exists",
            };
            if (!onAddon)
            {
                // The namespace is written with the service account (one apply); its step records the decision and the outcome.
                log.Begin(namespaceStep);
            }

            IDictionary<string, string> annotations = account?.Metadata?.Annotations ?? new Dictionary<string, string>();
            bool accountOurs = !onAddon && (account is null || (annotations.TryGetValue(Ownership.Annotation, out string? by) && Marked(by)));
            string clientId = identity.ClientId ?? PendingClientId;
            bool same = account is not null && Annotated(annotations, "azure.workload.identity/client-id", identity.ClientId)
                && (identity.TenantId is null || Annotated(annotations, "azure.workload.identity/tenant-id", identity.TenantId));
            var step = new IntegrationStep
            {
                Step = "ServiceAccount",
                Target = $"ServiceAccount '{ns}/{name}' on cluster '{connection.Name}'{(onAddon ? " (the AKS add-on's operator)" : string.Empty)}",
                Action = account is null && !onAddon ? IntegrationAction.Create : same ? IntegrationAction.NoChange : IntegrationAction.Update,
                Detail = $"annotations azure.workload.identity/client-id={clientId}, azure.workload.identity/tenant-id={identity.TenantId ?? "<tenant of the new identity>"}"
                    + (accountOurs && account is null ? $", {Ownership.Annotation}={Ownership.Creator}" : string.Empty),
            };
            if (!log.Begin(step))
            {
                return new ServiceAccount(name, ns, identity.ClientId, identity.TenantId) { Action = step.Action == IntegrationAction.NoChange ? "Unchanged" : "WouldApply" };
            }

            ServiceAccount applied = await _applier.ApplyServiceAccountAsync(connection, new ServiceAccount(name, ns, identity.ClientId, identity.TenantId),
                DecidedHost.For(call, true), namespaceOurs ? Mark : null, accountOurs ? Mark : null).ConfigureAwait(false);
            StepLog.Done(step, account is null ? "Created" : "Updated");
            if (!onAddon && space is null)
            {
                StepLog.Done(namespaceStep, "Created");
            }

            return applied;
        }

        public async Task<KedaInstallation?> KedaAsync(ClusterConnection connection, AzureFacts facts, WorkloadIdentity identity, AksIntegrationRequest request, StepLog log,
            CallContext call) => facts.Mode == InstallModes.AksAddon
                ? await AddonAsync(connection, facts.Cluster, identity, request.Timeout, log, call).ConfigureAwait(false)
                : await HelmAsync(connection, facts, identity, request, log, call).ConfigureAwait(false);

        private async Task<KedaInstallation?> HelmAsync(ClusterConnection connection, AzureFacts facts, WorkloadIdentity identity, AksIntegrationRequest request, StepLog log,
            CallContext call)
        {
            var helmRequest = new HelmInstallRequest
            {
                ReleaseName = request.ReleaseName, Namespace = facts.Namespace, ServiceAccountName = facts.ServiceAccount,
                ClientId = identity.ClientId ?? Guid.Empty.ToString(), TenantId = identity.TenantId, Version = request.Version, ChartPath = request.ChartPath,
                Repository = request.Repository, Set = request.Set, HelmPath = request.HelmPath, Timeout = request.Timeout, Force = request.Force, FederatedSubject = identity.Subject,
                Cluster = facts.Cluster,
            };
            using HelmPlan plan = await helm.PrepareAsync(connection, helmRequest, call).ConfigureAwait(false);
            bool ours = plan.Current is null || (plan.Current.Labels.TryGetValue(Ownership.ReleaseLabel, out string? by) && Marked(by));
            helmRequest.ReleaseLabels = ours ? new Dictionary<string, string>(Mark.Select(m => KeyValuePair.Create(Ownership.ReleaseLabel, m.Value))) : null;
            var step = new IntegrationStep
            {
                Step = "Keda",
                Target = plan.Target,
                Action = plan.UpToDate ? IntegrationAction.NoChange : plan.Current is null ? IntegrationAction.Create : IntegrationAction.Update,
                Detail = (plan.UpToDate ? $"revision {plan.Current!.Revision}: chart {plan.Chart.Version} with these values; " : string.Empty)
                    + plan.Description.Replace(Guid.Empty.ToString(), PendingClientId, StringComparison.Ordinal),
            };
            if (log.Begin(step))
            {
                KedaInstallation installed = await helm.ExecuteAsync(plan, call).ConfigureAwait(false);
                StepLog.Done(step, plan.Current is null ? "Created" : "Updated");
                return installed;
            }

            return log.Planning ? null : await helm.VerifyAsync(connection, helmRequest, call).ConfigureAwait(false);
        }

        private async Task<KedaInstallation?> AddonAsync(ClusterConnection connection, AksCluster cluster, WorkloadIdentity identity, TimeSpan timeout, StepLog log, CallContext call)
        {
            KedaInstallation? installation = await FindAddonAsync(connection, cluster, call).ConfigureAwait(false);
            DateTimeOffset deadline = DateTimeOffset.UtcNow + timeout;
            while (installation is null && !log.Planning && DateTimeOffset.UtcNow < deadline)
            {
                call.Host.WriteProgress(StepLog.Activity, "Waiting for the AKS add-on's KEDA in kube-system");
                await Task.Delay(TimeSpan.FromSeconds(2), call.Cancellation).ConfigureAwait(false);
                installation = await FindAddonAsync(connection, cluster, call).ConfigureAwait(false);
            }

            bool injected = installation?.ClientId is { } running && string.Equals(running, identity.ClientId, StringComparison.OrdinalIgnoreCase);
            var step = new IntegrationStep
            {
                Step = "Keda",
                Target = $"deployment {AksAddonKeda.Namespace}/{KedaComponents.Operator} (the AKS managed KEDA add-on) on cluster '{connection.Name}'",
                Action = injected ? IntegrationAction.NoChange : IntegrationAction.Update,
                Detail = injected ? $"the operator runs with client id {identity.ClientId}"
                    : $"restart the operator (rollout restart) so the workload identity webhook injects client id {identity.ClientId ?? PendingClientId}",
            };
            if (!log.Begin(step))
            {
                return installation;
            }

            KedaInstallation? restarted = await addon.RestartOperatorAsync(connection, AksAddonKeda.Namespace, timeout, cluster, DecidedHost.For(call, true)).ConfigureAwait(false);
            StepLog.Done(step, "Updated");
            return restarted;
        }

        private async Task<KedaInstallation?> FindAddonAsync(ClusterConnection connection, AksCluster cluster, CallContext call) =>
            (await installations.FindAsync(connection, cluster, call).ConfigureAwait(false)).FirstOrDefault(i => i.Namespace == AksAddonKeda.Namespace);

        private async Task<V1ServiceAccount?> WaitForAddonAccountAsync(ClusterConnection connection, string ns, string name, TimeSpan timeout, CallContext call)
        {
            DateTimeOffset deadline = DateTimeOffset.UtcNow + timeout;
            while (true)
            {
                V1ServiceAccount? account = await gateway.ReadServiceAccountAsync(connection, ns, name, call).ConfigureAwait(false);
                if (account is not null || DateTimeOffset.UtcNow > deadline)
                {
                    return account;
                }

                call.Host.WriteProgress(StepLog.Activity, $"Waiting for the AKS add-on to create ServiceAccount {ns}/{name}");
                await Task.Delay(TimeSpan.FromSeconds(2), call.Cancellation).ConfigureAwait(false);
            }
        }

        private static bool Marked(string? value) => string.Equals(value, Ownership.Creator, StringComparison.Ordinal);

        private static bool Annotated(IDictionary<string, string> annotations, string key, string? value) =>
            value is not null && annotations.TryGetValue(key, out string? found) && string.Equals(found, value, StringComparison.OrdinalIgnoreCase);
    }
}
