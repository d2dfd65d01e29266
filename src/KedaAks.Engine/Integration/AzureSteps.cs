using global::Azure.Core;

namespace KedaAks.Engine.Integration
{
    /// <summary>
    /// The article's ARM work as a dependency graph, not a sequence. Round 1 reads the cluster, the identity and the workspaces together;
    /// round 2 reads an existing identity's credentials and role assignments together (a new identity has none, so nothing is read).
    /// Then every step is decided in the article's order (one ShouldProcess each), and the writes run as soon as what they need is known:
    /// the identity is created while the cluster update runs, its roles are granted while the cluster's operation is polled, and the
    /// federated credential is written once the cluster's issuer is known.
    /// </summary>
    internal sealed class AzureSteps(AzureService azure, EngineOptions options)
    {
        private const string PendingIssuer = "<assigned by the cluster update>";
        private const string PendingPrincipal = "<assigned when the identity is created>";

        private readonly IdentityResources _identities = new();

        public async Task<(AzureFacts Facts, WorkloadIdentity Identity)> RunAsync(AksIntegrationRequest request, StepLog log, CallContext call)
        {
            WorkloadIdentityRules.Validate(new WorkloadIdentityRequest
            {
                IdentityName = request.IdentityName, FederatedCredentialName = request.FederatedCredentialName, ServiceAccountNamespace = request.Namespace,
                ServiceAccountName = request.ServiceAccountName, Audience = request.Audience,
            });
            ArmClient arm = await azure.OpenAsync(call).ConfigureAwait(false);
            AzureFacts facts = await ReadAsync(arm, request, call).ConfigureAwait(false);
            log.Cluster = facts.Cluster.Name;

            Task<AksCluster> cluster = Cluster(arm, facts, log);
            Task<UserAssignedIdentity?> identity = Identity(arm, request, facts, log);
            List<Task<RoleAssignment?>> roles = facts.Workspaces.Select(w => Role(arm, w, identity, facts, log)).ToList();
            Task<string> credential = Credential(arm, request, facts, cluster, identity, log);
            await Task.WhenAll(roles.Cast<Task>().Append(cluster).Append(identity).Append(credential)).ConfigureAwait(false);

            AksCluster updated = cluster.Result;
            UserAssignedIdentity? made = identity.Result;
            WorkloadIdentity result = IdentityResources.Describe(made, facts.IdentityId, request.IdentityName, facts.IdentityResourceGroup, request.Location, updated,
                credential.Result, updated.OidcIssuerUrl, request.Audience, facts.Namespace, facts.ServiceAccount);
            result.RoleAssignments = roles.Select(r => r.Result).OfType<RoleAssignment>().ToList();
            facts.Cluster = updated;
            return (facts, result);
        }

        private async Task<AzureFacts> ReadAsync(ArmClient arm, AksIntegrationRequest request, CallContext call)
        {
            string clusterId = request.Cluster?.ResourceId ?? azure.Clusters.IdFor(call, request.ClusterResourceId, request.ResourceGroupName, request.ClusterName);
            ResourceIdentifier parsed = ResourceIds.Parse(clusterId, ResourceIds.ManagedCluster);
            string subscription = parsed.SubscriptionId!;
            string group = request.IdentityResourceGroupName ?? parsed.ResourceGroupName!;
            string identityId = ResourceIds.Identity(subscription, group, request.IdentityName);

            // Round 1: all independent reads at once.
            Task<JsonNode> clusterRead = arm.GetRequiredAsync(clusterId, ArmApi.ContainerService, "AKS cluster");
            Task<UserAssignedIdentity?> identityRead = _identities.GetAsync(arm, identityId);
            List<Task<MonitorWorkspace>> workspaceReads = request.MonitorWorkspaces.Distinct(StringComparer.OrdinalIgnoreCase)
                .Select(w => azure.WorkspaceResources.ResolveAsync(arm, w, subscription, parsed.ResourceGroupName)).ToList();
            await Task.WhenAll(workspaceReads.Cast<Task>().Append(clusterRead).Append(identityRead)).ConfigureAwait(false);

            JsonNode clusterJson = await azure.Clusters.WaitIdleAsync(arm, clusterId, clusterRead.Result, options.DefaultPollInterval, options.OperationTimeout, options.Delay)
                .ConfigureAwait(false);
            var facts = new AzureFacts(clusterId, clusterJson, identityId, group)
            {
                Identity = identityRead.Result,
                Workspaces = workspaceReads.Select(w => w.Result).GroupBy(w => w.ResourceId, StringComparer.OrdinalIgnoreCase).Select(g => g.First()).ToList(),
            };
            Decide(facts, request);

            // Round 2: what an existing identity already has, read together.
            if (facts.Identity is { } existing)
            {
                Task<IReadOnlyList<FederatedCredential>> credentials = azure.Credentials.ListAsync(arm, identityId);
                var roles = facts.Workspaces.ToDictionary(w => w.ResourceId!, w => existing.PrincipalId is { } principal
                    ? azure.Roles.AtScopeAsync(arm, principal, w.ResourceId!) : Task.FromResult(new List<RoleAssignment>()), StringComparer.OrdinalIgnoreCase);
                await Task.WhenAll(roles.Values.Cast<Task>().Append(credentials)).ConfigureAwait(false);
                facts.Credentials = credentials.Result.ToList();
                foreach (KeyValuePair<string, Task<List<RoleAssignment>>> role in roles)
                {
                    facts.Roles[role.Key] = role.Value.Result;
                }
            }

            if ((request.Location ?? facts.Cluster.Location) is null && facts.Identity is null)
            {
                throw new KedaAksException("LocationRequired", KedaErrorCategory.InvalidArgument, "The identity needs a location and the cluster has none.", request.IdentityName,
                    "Pass -Location.");
            }

            bool credentialMissing = facts.Credentials.All(c => c.Name != request.FederatedCredentialName && !(c.Subject == facts.Subject && c.Issuer == facts.Cluster.OidcIssuerUrl));
            if (credentialMissing && facts.Credentials.Count >= FederatedCredentials.Limit)
            {
                throw new KedaAksException("TooManyFederatedCredentials", KedaErrorCategory.LimitsExceeded,
                    $"Identity '{request.IdentityName}' already has {facts.Credentials.Count} federated credentials, the most Entra allows.", identityId,
                    "Remove credentials the identity no longer needs, or use another identity (-IdentityName).");
            }

            return facts;
        }

        /// <summary>The install mode and where the operator runs, refused before any write when it contradicts the cluster.</summary>
        private static void Decide(AzureFacts facts, AksIntegrationRequest request)
        {
            AksCluster cluster = facts.Cluster;
            string decided = InstallModes.OfCluster(cluster);
            facts.Mode = InstallModes.Effective(request.InstallMethod, decided);
            if (facts.Mode == InstallModes.Helm && decided == InstallModes.AksAddon)
            {
                throw new KedaAksException("KedaAlreadyInstalled", KedaErrorCategory.ResourceExists,
                    $"AKS cluster '{cluster.Name}' runs KEDA as the AKS managed add-on{(InstallModes.IsAutomatic(cluster) ? " (AKS Automatic)" : string.Empty)}; a Helm install would run a "
                    + "second KEDA next to it.", cluster.ResourceId, "Use -InstallMethod AksAddon (or Auto), or turn the add-on off first (Disable-KedaAksAddon).");
            }

            (facts.Namespace, facts.ServiceAccount) = InstallModes.Operator(facts.Mode, request.Namespace, request.ServiceAccountName);
        }

        private Task<AksCluster> Cluster(ArmClient arm, AzureFacts facts, StepLog log)
        {
            AksCluster c = facts.Cluster;
            bool identity = !(c.OidcIssuerEnabled && c.WorkloadIdentityEnabled && c.OidcIssuerUrl is not null);
            bool addon = facts.Mode == InstallModes.AksAddon && !InstallModes.RunsAddon(c);
            var changes = new List<string>();
            if (!c.OidcIssuerEnabled || c.OidcIssuerUrl is null)
            {
                changes.Add("enable the OIDC issuer");
            }

            if (!c.WorkloadIdentityEnabled)
            {
                changes.Add("enable workload identity");
            }

            if (addon)
            {
                changes.Add("enable the AKS managed KEDA add-on");
            }

            var step = new IntegrationStep
            {
                Step = "Cluster",
                Target = $"AKS cluster '{c.Name}' in resource group '{c.ResourceGroupName}'",
                Action = changes.Count == 0 ? IntegrationAction.NoChange : IntegrationAction.Update,
                Detail = changes.Count == 0
                    ? $"OIDC issuer {c.OidcIssuerUrl}, workload identity on{(facts.Mode == InstallModes.AksAddon ? ", KEDA add-on on" : string.Empty)}"
                    : $"{string.Join(", ", changes)} (one full PUT of the cluster, then its long-running operation)",
            };
            if (!log.Begin(step))
            {
                return Task.FromResult(c);
            }

            return Run();

            async Task<AksCluster> Run()
            {
                string activity = $"Updating AKS cluster '{c.Name}' ({string.Join(", ", changes)})";
                AksCluster updated;
                try
                {
                    updated = await azure.Clusters.PutAsync(arm, facts.ClusterId, facts.ClusterJson.DeepClone(), identity, addon ? true : null, activity).ConfigureAwait(false);
                }
                catch (KedaAksException busy) when (busy.ErrorId == "OperationNotAllowed")
                {
                    // Another run's update of this cluster is in progress: wait for it, then send ours only if it is still needed.
                    arm.Call.Host.WriteVerbose($"AKS cluster '{c.Name}' is being updated by another operation; waiting for it to finish.");
                    JsonNode settled = await azure.Clusters.WaitIdleAsync(arm, facts.ClusterId, await arm.GetRequiredAsync(facts.ClusterId, ArmApi.ContainerService, "AKS cluster")
                        .ConfigureAwait(false), options.DefaultPollInterval, options.OperationTimeout, options.Delay).ConfigureAwait(false);
                    AksCluster now = ArmModels.ToCluster(settled);
                    bool done = now.OidcIssuerEnabled && now.WorkloadIdentityEnabled && now.OidcIssuerUrl is not null && (!addon || now.KedaAddonEnabled);
                    updated = done ? now : await azure.Clusters.PutAsync(arm, facts.ClusterId, settled, identity, addon ? true : null, activity).ConfigureAwait(false);
                }

                StepLog.Done(step, "Updated");
                step.Detail = $"OIDC issuer {updated.OidcIssuerUrl}, workload identity {(updated.WorkloadIdentityEnabled ? "on" : "off")}"
                    + (addon ? $", KEDA add-on {(updated.KedaAddonEnabled ? "on" : "off")}" : string.Empty);
                return updated;
            }
        }

        private Task<UserAssignedIdentity?> Identity(ArmClient arm, AksIntegrationRequest request, AzureFacts facts, StepLog log)
        {
            string location = request.Location ?? facts.Cluster.Location ?? string.Empty;
            string tag = $"identity;credential={request.FederatedCredentialName}";
            var step = new IntegrationStep
            {
                Step = "Identity",
                Target = $"user-assigned identity '{request.IdentityName}' in resource group '{facts.IdentityResourceGroup}'",
                Action = facts.Identity is null ? IntegrationAction.Create : IntegrationAction.NoChange,
                Detail = facts.Identity is { } found ? $"client id {found.ClientId}" : $"location {location}, tag {Ownership.Tag}={tag}",
            };
            if (!log.Begin(step))
            {
                return Task.FromResult(facts.Identity);
            }

            return Run();

            async Task<UserAssignedIdentity?> Run()
            {
                var body = new JsonObject { ["location"] = location, ["tags"] = new JsonObject { [Ownership.Tag] = tag } };
                ArmResponse created = await arm.SendAsync(RequestMethod.Put, facts.IdentityId, ArmApi.ManagedIdentity, body).ConfigureAwait(false);
                if (!created.IsSuccess || created.Body is null)
                {
                    throw ArmErrors.ToException(created, facts.IdentityId, $"Creating user-assigned identity '{request.IdentityName}'");
                }

                UserAssignedIdentity made = ArmModels.ToIdentity(created.Body);
                StepLog.Done(step, "Created");
                step.Detail = $"client id {made.ClientId}, principal {made.PrincipalId}";
                return made;
            }
        }

        private Task<RoleAssignment?> Role(ArmClient arm, MonitorWorkspace workspace, Task<UserAssignedIdentity?> identity, AzureFacts facts, StepLog log)
        {
            string scope = workspace.ResourceId!;
            RoleAssignment? existing = facts.Roles.TryGetValue(scope, out List<RoleAssignment>? roles)
                ? roles.FirstOrDefault(r => r.RoleDefinitionId.EndsWith(ArmApi.MonitoringDataReaderRoleId, StringComparison.OrdinalIgnoreCase)) : null;
            string principal = facts.Identity?.PrincipalId ?? PendingPrincipal;
            var step = new IntegrationStep
            {
                Step = "RoleAssignment",
                Target = $"{ArmApi.MonitoringDataReaderRoleName} on '{scope}'",
                Action = existing is null ? IntegrationAction.Create : IntegrationAction.NoChange,
                Detail = existing is null ? $"for principal {principal}, description '{Ownership.RoleDescription}'" : $"principal {principal} has it (scope {existing.Scope})",
            };
            if (!log.Begin(step))
            {
                return Task.FromResult(existing);
            }

            return Run();

            async Task<RoleAssignment?> Run()
            {
                string id = (await identity.ConfigureAwait(false))?.PrincipalId ?? throw ArmErrors.Malformed("a user-assigned identity without a principal id");
                RoleAssignment made = await azure.Roles.CreateMonitoringDataReaderAsync(arm, id, scope, Ownership.RoleDescription).ConfigureAwait(false);
                StepLog.Done(step, "Created");
                return made;
            }
        }

        private Task<string> Credential(ArmClient arm, AksIntegrationRequest request, AzureFacts facts, Task<AksCluster> cluster, Task<UserAssignedIdentity?> identity, StepLog log)
        {
            string name = request.FederatedCredentialName;
            bool issuerKnown = facts.Cluster.OidcIssuerEnabled && facts.Cluster.OidcIssuerUrl is not null;
            string issuer = issuerKnown ? facts.Cluster.OidcIssuerUrl! : PendingIssuer;
            FederatedCredential? same = facts.Credentials.FirstOrDefault(c => c.Name == name);
            FederatedCredential? twin = facts.Credentials.FirstOrDefault(c => c.Name != name && c.Issuer == issuer && c.Subject == facts.Subject);
            bool exact = same is not null && same.Issuer == issuer && same.Subject == facts.Subject && same.Audiences.SequenceEqual(new[] { request.Audience });
            var step = new IntegrationStep
            {
                Step = "FederatedCredential",
                Target = $"federated credential '{(twin is not null && same is null ? twin.Name : name)}' of identity '{request.IdentityName}'",
                Action = exact || (same is null && twin is not null) ? IntegrationAction.NoChange : same is null ? IntegrationAction.Create : IntegrationAction.Update,
                Detail = $"issuer {issuer}, subject {facts.Subject}, audience {request.Audience}",
            };
            if (same is null && twin is not null)
            {
                log.Begin(step);
                return Task.FromResult(twin.Name);
            }

            if (!log.Begin(step))
            {
                return Task.FromResult(name);
            }

            return Run();

            async Task<string> Run()
            {
                AksCluster updated = await cluster.ConfigureAwait(false);
                UserAssignedIdentity made = await identity.ConfigureAwait(false) ?? throw ArmErrors.Malformed("no identity to federate");
                string actualIssuer = updated.OidcIssuerUrl ?? throw new KedaAksException("OidcIssuerNotEnabled", KedaErrorCategory.InvalidOperation,
                    $"AKS cluster '{updated.Name}' reports no OIDC issuer URL after the update.", updated.ResourceId, "Run the command again once the cluster shows its issuer.");
                if (facts.Identity is not null && !Ownership.OwnsCredential(facts.Identity.Tags, name))
                {
                    // The identity is not ours: record on it that this credential is, so Uninstall-KedaAksIntegration removes only that.
                    await _identities.SetTagAsync(arm, facts.Identity with { Location = made.Location }, Ownership.Tag,
                        Ownership.With(facts.Identity.Tags, $"credential={name}")).ConfigureAwait(false);
                }

                string written = await azure.Credentials.WriteNewAsync(arm, facts.IdentityId, request.IdentityName, name, actualIssuer, facts.Subject, request.Audience)
                    .ConfigureAwait(false);
                StepLog.Done(step, same is null ? "Created" : "Updated");
                step.Detail = $"issuer {actualIssuer}, subject {facts.Subject}, audience {request.Audience}";
                return written;
            }
        }
    }
}
