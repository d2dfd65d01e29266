using global::Azure.Core;
using k8s.Models;
using KedaAks.Engine.Helm;

namespace KedaAks.Engine.Integration
{
    /// <summary>
    /// Uninstall-KedaAksIntegration: removes, in the reverse order of the install, what the integration made and marked as its own
    /// (<see cref="Ownership"/>): the Helm release (or, on the add-on, the service account's workload identity annotations), the service
    /// account and namespace, the role assignments, the federated credential, the identity. What it did not make is kept and said so.
    /// The cluster's OIDC issuer and workload identity are never turned off. A second run finds nothing and writes nothing.
    /// </summary>
    internal sealed class Uninstaller(AzureService azure, KubernetesService kubernetes, HelmService helm)
    {
        private readonly IdentityResources _identities = new();

        public async Task<IReadOnlyList<IntegrationStep>> RunAsync(AksIntegrationRequest request, CallContext call)
        {
            ArmClient arm = await azure.OpenAsync(call).ConfigureAwait(false);
            string clusterId = request.Cluster?.ResourceId ?? azure.Clusters.IdFor(call, request.ClusterResourceId, request.ResourceGroupName, request.ClusterName);
            ResourceIdentifier parsed = ResourceIds.Parse(clusterId, ResourceIds.ManagedCluster);
            string identityId = ResourceIds.Identity(parsed.SubscriptionId!, request.IdentityResourceGroupName ?? parsed.ResourceGroupName!, request.IdentityName);
            Task<ClusterConnection> connecting = kubernetes.ConnectAsync(AksIntegration.Target(request), call);
            Task<AksCluster> clusterRead = azure.Clusters.GetAsync(arm, clusterId);
            Task<UserAssignedIdentity?> identityRead = _identities.GetAsync(arm, identityId);
            await Task.WhenAll(clusterRead, identityRead, connecting).ConfigureAwait(false);
            AksCluster cluster = clusterRead.Result;
            UserAssignedIdentity? identity = identityRead.Result;
            ClusterConnection connection = connecting.Result;
            var log = new StepLog(call.Host, planOnly: false, cluster.Name);
            string mode = InstallModes.Effective(request.InstallMethod, InstallModes.OfCluster(cluster));
            (string ns, string sa) = InstallModes.Operator(mode, request.Namespace, request.ServiceAccountName);

            if (mode == InstallModes.Helm)
            {
                await ReleaseAsync(connection, request, ns, log, call).ConfigureAwait(false);
            }

            await ServiceAccountAsync(connection, ns, sa, mode, identity, log, call).ConfigureAwait(false);
            if (mode == InstallModes.Helm)
            {
                await NamespaceAsync(connection, ns, log, call).ConfigureAwait(false);
            }

            if (identity is not null)
            {
                await AzureAsync(arm, request, identity, log).ConfigureAwait(false);
            }
            else
            {
                log.Record(new IntegrationStep { Step = "Identity", Target = $"user-assigned identity '{request.IdentityName}'", Detail = "does not exist", Outcome = "Absent" });
            }

            call.Host.WriteVerbose($"The OIDC issuer and workload identity of AKS cluster '{cluster.Name}' stay on: other workloads may rely on them.");
            return log.Steps;
        }

        private async Task ReleaseAsync(ClusterConnection connection, AksIntegrationRequest request, string ns, StepLog log, CallContext call)
        {
            ReleaseState? release = await ReleaseState.ReadAsync(kubernetes.Gateway, connection, request.ReleaseName, ns, call).ConfigureAwait(false);
            string target = $"Helm release '{ns}/{request.ReleaseName}' on cluster '{connection.Name}'";
            bool ours = release is not null && release.Labels.TryGetValue(Ownership.ReleaseLabel, out string? by) && by == Ownership.Creator;
            if (Remove(log, "Keda", target, release is not null, ours, $"helm uninstall {request.ReleaseName}"))
            {
                await helm.UninstallAsync(connection, request.ReleaseName, ns, request.HelmPath, request.Timeout, call).ConfigureAwait(false);
                Removed(log);
            }
        }

        private async Task ServiceAccountAsync(ClusterConnection connection, string ns, string name, string mode, UserAssignedIdentity? identity, StepLog log, CallContext call)
        {
            V1ServiceAccount? account = await kubernetes.Gateway.ReadServiceAccountAsync(connection, ns, name, call).ConfigureAwait(false);
            IDictionary<string, string> annotations = account?.Metadata?.Annotations ?? new Dictionary<string, string>();
            string target = $"ServiceAccount '{ns}/{name}' on cluster '{connection.Name}'";
            var kind = KubeKind.Named("ServiceAccount");
            if (mode == InstallModes.AksAddon)
            {
                // The add-on's own account stays; only the annotations the integration put on it go (a server-side apply without them, same field manager).
                bool annotated = account is not null && annotations.TryGetValue("azure.workload.identity/client-id", out string? client)
                    && string.Equals(client, identity?.ClientId, StringComparison.OrdinalIgnoreCase);
                var step = new IntegrationStep
                {
                    Step = "ServiceAccount", Target = target, Action = annotated ? IntegrationAction.Update : IntegrationAction.NoChange,
                    Detail = annotated ? "remove the azure.workload.identity annotations (the add-on's account stays)" : "carries no annotation of the integration",
                };
                if (log.Begin(step))
                {
                    var body = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ServiceAccount", ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns } };
                    await kubernetes.Gateway.ApplyAsync(connection, kind, ns, name, body, dryRun: false, force: true, new KubeOperation(target, $"Updating {target}"), call)
                        .ConfigureAwait(false);
                    StepLog.Done(step, "Updated");
                }

                return;
            }

            bool ours = annotations.TryGetValue(Ownership.Annotation, out string? by) && by == Ownership.Creator;
            if (Remove(log, "ServiceAccount", target, account is not null, ours, "delete"))
            {
                await kubernetes.Gateway.DeleteAsync(connection, kind, ns, name, new KubeOperation(target, $"Removing {target}"), call).ConfigureAwait(false);
                Removed(log);
            }
        }

        private async Task NamespaceAsync(ClusterConnection connection, string ns, StepLog log, CallContext call)
        {
            var kind = KubeKind.Named("Namespace");
            string target = $"namespace '{ns}' on cluster '{connection.Name}'";
            JsonObject? space = await kubernetes.Gateway.ReadAsync(connection, kind, null, ns, new KubeOperation(target, $"Reading {target}"), call).ConfigureAwait(false);
            bool ours = space?["metadata"]?["annotations"]?[Ownership.Annotation]?.GetValue<string>() == Ownership.Creator;
            bool terminating = space?["status"]?["phase"]?.GetValue<string>() == "Terminating";
            if (Remove(log, "Namespace", target, space is not null && !terminating, ours, "delete (with everything still in it)"))
            {
                await kubernetes.Gateway.DeleteAsync(connection, kind, null, ns, new KubeOperation(target, $"Removing {target}"), call).ConfigureAwait(false);
                Removed(log);
            }
        }

        private async Task AzureAsync(ArmClient arm, AksIntegrationRequest request, UserAssignedIdentity identity, StepLog log)
        {
            bool ownsIdentity = Ownership.OwnsIdentity(identity.Tags);
            if (identity.PrincipalId is { } principal)
            {
                ResourceIdentifier id = ResourceIds.Parse(identity.Id, ResourceIds.UserAssignedIdentity);
                List<RoleAssignment> roles = await azure.Roles.OfPrincipalAsync(arm, id.SubscriptionId!, principal).ConfigureAwait(false);
                foreach (RoleAssignment role in roles)
                {
                    // An identity the integration made takes its assignments with it; on another identity only the marked ones are ours.
                    bool ours = ownsIdentity || role.Description == Ownership.RoleDescription;
                    if (Remove(log, "RoleAssignment", $"{role.RoleName ?? role.RoleDefinitionId} on '{role.Scope}' for principal {principal}", true, ours, "delete"))
                    {
                        await azure.Roles.DeleteAsync(arm, role).ConfigureAwait(false);
                        Removed(log);
                    }
                }
            }

            string name = request.FederatedCredentialName;
            IReadOnlyList<FederatedCredential> credentials = await azure.Credentials.ListAsync(arm, identity.Id).ConfigureAwait(false);
            bool credentialOurs = Ownership.OwnsCredential(identity.Tags, name);
            string credentialTarget = $"federated credential '{name}' of identity '{identity.Name}'";
            if (Remove(log, "FederatedCredential", credentialTarget, credentials.Any(c => c.Name == name), credentialOurs, "delete"))
            {
                await azure.Credentials.DeleteAsync(arm, identity.Id, name).ConfigureAwait(false);
                Removed(log);
            }

            string identityTarget = $"user-assigned identity '{identity.Name}'";
            if (Remove(log, "Identity", identityTarget, true, ownsIdentity, "delete"))
            {
                await _identities.DeleteAsync(arm, identity.Id).ConfigureAwait(false);
                Removed(log);
            }
            else if (!ownsIdentity && Ownership.Owned(identity.Tags).Any(e => e.Equals($"credential={name}", StringComparison.OrdinalIgnoreCase)) && !log.Planning)
            {
                // Not ours: the identity stays, and so do its other tags; only the integration's mark goes.
                await _identities.SetTagAsync(arm, identity, Ownership.Tag, Ownership.Without(identity.Tags, $"credential={name}")).ConfigureAwait(false);
            }
        }

        /// <summary>Records the step (Remove, or kept/absent) and says whether to remove it now.</summary>
        private static bool Remove(StepLog log, string step, string target, bool exists, bool ours, string how)
        {
            if (!exists || !ours)
            {
                log.Record(new IntegrationStep
                {
                    Step = step, Target = target, Action = IntegrationAction.NoChange, Outcome = exists ? "Kept" : "Absent",
                    Detail = exists ? "not made by Install-KedaAksIntegration (no ownership mark), so it stays" : "does not exist",
                });
                return false;
            }

            return log.Begin(new IntegrationStep { Step = step, Target = target, Action = IntegrationAction.Remove, Detail = how });
        }

        private static void Removed(StepLog log) => StepLog.Done(log.Steps[^1], "Removed");
    }
}
