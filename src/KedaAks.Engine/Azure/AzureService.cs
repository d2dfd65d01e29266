using global::Azure.Core;

namespace KedaAks.Engine.Azure
{
    /// <summary>
    /// Steps 1-7 and 10 of the article against ARM, composed from the resource units (clusters, identities, federated
    /// credentials, role assignments, workspaces). Every write is preceded by a read and skipped when the resource already
    /// is as asked, so re-runs converge without writes; every write asks ShouldProcess first, so -WhatIf reads and
    /// reports but never writes.
    /// </summary>
    internal sealed class AzureService : IAzureService
    {
        private readonly EngineOptions _options;
        private readonly ResourceIds _ids;
        private readonly ClusterResources _clusters;
        private readonly IdentityResources _identities = new();
        private readonly FederatedCredentials _credentials;
        private readonly RoleAssignments _roles;
        private readonly Workspaces _workspaces = new();
        private readonly ClusterSearch _search;

        public AzureService(EngineOptions options)
        {
            _options = options;
            _ids = new ResourceIds(options);
            _clusters = new ClusterResources(_ids);
            _credentials = new FederatedCredentials(options);
            _roles = new RoleAssignments(options);
            _search = new ClusterSearch(options);
        }

        public async Task<AzureConnection> ConnectAsync(CallContext call)
        {
            if (CloudEndpoints.NeedsDiscovery(call.Azure))
            {
                // -ArmEndpoint alone: the authority and ARM audience come from the endpoint's metadata, as Add-AzEnvironment -ARMEndpoint reads them.
                (Uri authority, string audience) = await CloudMetadata.DiscoverAsync(call.Azure.ArmEndpoint!, _options, call.Host, call.Cancellation).ConfigureAwait(false);
                AzureSettings discovered = call.Azure.Clone();
                discovered.AuthorityHost = authority;
                discovered.ArmAudience = audience;
                call = call.WithAzure(discovered);
            }

            ArmClient arm = await OpenAsync(call).ConfigureAwait(false);
            string? subscription = _ids.Subscription(call, required: false);
            string? tenant = call.Azure.TenantId ?? _options.Environment.Get("AZURE_TENANT_ID");
            string? subscriptionName = null;
            if (subscription is not null)
            {
                var body = await arm.GetRequiredAsync($"/subscriptions/{subscription}", ArmApi.Subscriptions, "subscription").ConfigureAwait(false);
                subscriptionName = ArmModels.Str(body["displayName"]);
                tenant ??= ArmModels.Str(body["tenantId"]);
            }

            return new AzureConnection(arm.Cloud.Name, arm.Cloud.ArmEndpoint, arm.Cloud.Authority, tenant, subscription, subscriptionName,
                call.Azure.TokenSource, arm.Source.Description) { ArmAudience = arm.Cloud.ArmScope.Substring(0, arm.Cloud.ArmScope.Length - ".default".Length) };
        }

        public async Task<AksCluster> GetClusterAsync(string? resourceId, string? resourceGroupName, string? name, CallContext call)
        {
            string id = _clusters.IdFor(call, resourceId, resourceGroupName, name);
            return await _clusters.GetAsync(await OpenAsync(call).ConfigureAwait(false), id).ConfigureAwait(false);
        }

        public async Task<AksCluster> EnableWorkloadIdentityAsync(AksCluster? known, string? resourceId, string? resourceGroupName, string? name, CallContext call)
        {
            if (known is { OidcIssuerEnabled: true, WorkloadIdentityEnabled: true, OidcIssuerUrl: not null })
            {
                call.Host.WriteVerbose($"AKS cluster '{known.Name}' already has the OIDC issuer and workload identity enabled; nothing to change.");
                return known;
            }

            string id = _clusters.IdFor(call, resourceId ?? known?.ResourceId, resourceGroupName, name);
            return await _clusters.EnableWorkloadIdentityAsync(await OpenAsync(call).ConfigureAwait(false), id).ConfigureAwait(false);
        }

        public async Task<AksCluster> SetKedaAddonAsync(AksCluster? known, string? resourceId, string? resourceGroupName, string? name, bool enabled, CallContext call)
        {
            if (known is not null && known.KedaAddonEnabled == enabled && resourceId is null && name is null)
            {
                call.Host.WriteVerbose($"AKS cluster '{known.Name}' already has the KEDA add-on {(enabled ? "enabled" : "disabled")}; nothing to change.");
                return known;
            }

            string id = _clusters.IdFor(call, resourceId ?? known?.ResourceId, resourceGroupName, name);
            return await _clusters.SetKedaAddonAsync(await OpenAsync(call).ConfigureAwait(false), id, enabled).ConfigureAwait(false);
        }

        public async Task<MonitorWorkspace> GetMonitorWorkspaceAsync(string? resourceId, string? resourceGroupName, string? name, CallContext call)
        {
            string id = _ids.For(call, resourceId, resourceGroupName, name, ResourceIds.MonitorWorkspace);
            return await _workspaces.GetAsync(await OpenAsync(call).ConfigureAwait(false), id).ConfigureAwait(false);
        }

        public async Task<MonitorWorkspace> ResolveMonitorWorkspaceAsync(string reference, string? subscriptionId, string? resourceGroupName, CallContext call)
        {
            ArmClient arm = await OpenAsync(call).ConfigureAwait(false);
            return await _workspaces.ResolveAsync(arm, reference, subscriptionId ?? _ids.Subscription(call, required: true)!, resourceGroupName).ConfigureAwait(false);
        }

        public async Task<WorkloadIdentity> NewWorkloadIdentityAsync(WorkloadIdentityRequest request, CallContext call)
        {
            WorkloadIdentityRules.Validate(request);
            ArmClient arm = await OpenAsync(call).ConfigureAwait(false);
            AksCluster cluster = request.Cluster
                ?? await _clusters.GetAsync(arm, _clusters.IdFor(call, request.ClusterResourceId, request.ClusterResourceGroupName, request.ClusterName)).ConfigureAwait(false);
            bool hasIssuer = cluster.OidcIssuerEnabled && !string.IsNullOrEmpty(cluster.OidcIssuerUrl);
            if (!hasIssuer && call.Host.ShouldProcess($"federated credential '{request.FederatedCredentialName}' of identity '{request.IdentityName}'",
                $"Create (issuer <assigned when Enable-KedaAksWorkloadIdentity runs>, subject system:serviceaccount:{request.ServiceAccountNamespace}:{request.ServiceAccountName})"))
            {
                // A real run cannot federate without an issuer; under -WhatIf the plan goes on (the cluster update before it would assign one).
                throw new KedaAksException("OidcIssuerNotEnabled", KedaErrorCategory.InvalidOperation,
                    $"AKS cluster '{cluster.Name}' has no OIDC issuer, so there is no issuer to federate the identity with.", cluster.ResourceId,
                    "Run Enable-KedaAksWorkloadIdentity first: Get-KedaAksCluster ... | Enable-KedaAksWorkloadIdentity | New-KedaWorkloadIdentity.");
            }

            if (!cluster.WorkloadIdentityEnabled && hasIssuer)
            {
                call.Host.WriteWarning($"AKS cluster '{cluster.Name}' has the OIDC issuer but not workload identity; the webhook will not inject tokens into KEDA's pod. "
                    + "Run Enable-KedaAksWorkloadIdentity.");
            }

            // Every workspace is known before anything is written: a wrong one fails the command with nothing made.
            var workspaceIds = new List<string>();
            foreach (string reference in request.MonitorWorkspaces.Distinct(StringComparer.OrdinalIgnoreCase))
            {
                MonitorWorkspace found = await _workspaces.ResolveAsync(arm, reference, cluster.SubscriptionId, cluster.ResourceGroupName).ConfigureAwait(false);
                workspaceIds.Add(found.ResourceId ?? reference);
            }

            string resourceGroup = request.IdentityResourceGroupName ?? cluster.ResourceGroupName;
            string identityId = ResourceIds.Identity(cluster.SubscriptionId, resourceGroup, request.IdentityName);
            string issuer = hasIssuer ? cluster.OidcIssuerUrl! : "<assigned when Enable-KedaAksWorkloadIdentity runs>";
            string decided = Keda.InstallModes.OfCluster(cluster);
            if (Keda.InstallModes.Effective(request.InstallMethod, decided) == Keda.InstallModes.AksAddon)
            {
                (request.ServiceAccountNamespace, request.ServiceAccountName) = (Keda.AksAddonKeda.Namespace, Keda.AksAddonKeda.ServiceAccount);
                call.Host.WriteVerbose($"Install method {request.InstallMethod} on AKS cluster '{cluster.Name}' (add-on {(cluster.KedaAddonEnabled ? "on" : "off")}, sku {cluster.Sku}): "
                    + $"federating the add-on's operator, {Keda.AksAddonKeda.Subject}.");
            }

            UserAssignedIdentity? identity = await _identities.EnsureAsync(arm, identityId, request.IdentityName, resourceGroup, request.Location ?? cluster.Location)
                .ConfigureAwait(false);
            WorkloadIdentity result = IdentityResources.Describe(identity, identityId, request.IdentityName, resourceGroup, request.Location, cluster,
                request.FederatedCredentialName, issuer, request.Audience, request.ServiceAccountNamespace, request.ServiceAccountName);
            string subject = result.Subject!;

            // The credential and the role assignments depend only on the identity: run them side by side.
            Task<string> credential = identity is not null && hasIssuer
                ? _credentials.EnsureAsync(arm, identityId, request.IdentityName, request.FederatedCredentialName, issuer, subject, request.Audience)
                : Task.FromResult(request.FederatedCredentialName);
            if (identity is null && hasIssuer)
            {
                // -WhatIf: the identity does not exist, so neither can its credential; the plan names it like the other writes.
                call.Host.ShouldProcess($"federated credential '{request.FederatedCredentialName}' of identity '{request.IdentityName}'",
                    $"Create (issuer {issuer}, subject {subject}, audience {request.Audience})");
            }

            var grants = new List<Task<RoleAssignment?>>();
            foreach (string workspace in workspaceIds.Distinct(StringComparer.OrdinalIgnoreCase))
            {
                if (result.PrincipalId is null)
                {
                    call.Host.ShouldProcess($"{ArmApi.MonitoringDataReaderRoleName} on '{workspace}' for principal <assigned when the identity is created>", "Create role assignment");
                    continue;
                }

                grants.Add(_roles.GrantMonitoringDataReaderAsync(arm, result.PrincipalId, workspace));
            }

            // Wait for all of them, so a failure in one never leaves another running unobserved.
            await Task.WhenAll(grants.Cast<Task>().Append(credential)).ConfigureAwait(false);
            result.FederatedCredentialName = credential.Result;
            result.RoleAssignments = grants.Select(g => g.Result).Where(a => a is not null).Select(a => a!).ToList();
            return result;
        }

        public async Task<RoleAssignment?> GrantMonitoringDataReaderAsync(string principalId, string scope, CallContext call) =>
            await _roles.GrantMonitoringDataReaderAsync(await OpenAsync(call).ConfigureAwait(false), principalId, scope).ConfigureAwait(false);

        public async Task RemoveWorkloadIdentityAsync(RemoveWorkloadIdentityRequest request, CallContext call)
        {
            string identityId = request.IdentityResourceId ?? throw new KedaAksException("IdentityRequired", KedaErrorCategory.InvalidArgument,
                "No identity was named.", null, "Pipe a WorkloadIdentity, or pass -IdentityName and -ResourceGroupName.");
            ResourceIdentifier parsed = ResourceIds.Parse(identityId, ResourceIds.UserAssignedIdentity);
            ResourceIds.CheckResourceGroup(parsed.ResourceGroupName ?? string.Empty);
            ResourceIds.CheckName(parsed.Name, ResourceIds.UserAssignedIdentity);
            ArmClient arm = await OpenAsync(call).ConfigureAwait(false);
            UserAssignedIdentity? identity = await _identities.GetAsync(arm, identityId).ConfigureAwait(false);
            if (identity is null)
            {
                call.Host.WriteVerbose($"User-assigned identity '{parsed.Name}' does not exist; nothing to remove.");
                return;
            }

            // Role assignments first: deleting the identity would leave them behind as "Identity not found" entries.
            if (identity.PrincipalId is { } principalId)
            {
                foreach (RoleAssignment role in await _roles.OfPrincipalAsync(arm, parsed.SubscriptionId!, principalId).ConfigureAwait(false))
                {
                    if (call.Host.ShouldProcess($"role assignment '{role.RoleName ?? role.RoleDefinitionId}' of '{parsed.Name}' on '{role.Scope}'", "Remove"))
                    {
                        await _roles.DeleteAsync(arm, role).ConfigureAwait(false);
                    }
                }
            }

            if (request.FederatedCredentialName is { } credential && call.Host.ShouldProcess($"federated credential '{credential}' of identity '{parsed.Name}'", "Remove"))
            {
                await _credentials.DeleteAsync(arm, identityId, credential).ConfigureAwait(false);
            }

            if (!request.KeepIdentity && call.Host.ShouldProcess($"user-assigned identity '{parsed.Name}' in resource group '{parsed.ResourceGroupName}'", "Remove"))
            {
                await _identities.DeleteAsync(arm, identityId).ConfigureAwait(false);
            }
        }

        public async Task<IReadOnlyList<AksCluster>> SearchClustersAsync(ClusterSearchRequest request, CallContext call)
        {
            ClusterSearch.ValidateFilter(request.Filter);
            return await _search.SearchAsync(await OpenAsync(call).ConfigureAwait(false), request).ConfigureAwait(false);
        }

        public async Task<IReadOnlyList<string>> ListResourceGroupsAsync(string? subscriptionId, CallContext call)
        {
            string subscription = subscriptionId ?? _ids.Subscription(call, required: true)!;
            ArmClient arm = await OpenAsync(call).ConfigureAwait(false);
            List<JsonNode> groups = await arm.ListAsync($"/subscriptions/{subscription}/resourcegroups", ArmApi.ResourceGroups).ConfigureAwait(false);
            return groups.Select(g => ArmModels.Str(g["name"])).Where(n => !string.IsNullOrEmpty(n)).Select(n => n!).OrderBy(n => n, StringComparer.OrdinalIgnoreCase).ToList();
        }

        /// <summary>An identity by resource id, or null when it does not exist.</summary>
        internal async Task<UserAssignedIdentity?> GetIdentityAsync(string identityId, CallContext call) =>
            await _identities.GetAsync(await OpenAsync(call).ConfigureAwait(false), identityId).ConfigureAwait(false);

        /// <summary>The user-assigned identity with this client id in the subscription, or null.</summary>
        internal async Task<UserAssignedIdentity?> FindIdentityByClientIdAsync(string subscription, string clientId, CallContext call) =>
            await _identities.FindByClientIdAsync(await OpenAsync(call).ConfigureAwait(false), subscription, clientId).ConfigureAwait(false);

        internal async Task<IReadOnlyList<FederatedCredential>> ListFederatedCredentialsAsync(string identityId, CallContext call) =>
            await _credentials.ListAsync(await OpenAsync(call).ConfigureAwait(false), identityId).ConfigureAwait(false);

        /// <summary>Role assignments of a principal that apply at a scope (at it or above it).</summary>
        internal async Task<List<RoleAssignment>> RoleAssignmentsAtAsync(string principalId, string scope, CallContext call) =>
            await _roles.AtScopeAsync(await OpenAsync(call).ConfigureAwait(false), principalId, scope).ConfigureAwait(false);

        /// <summary>The cluster and the kubeconfig ARM returns for it (user or admin credentials), decoded, in memory.</summary>
        internal async Task<(AksCluster Cluster, string Kubeconfig)> GetKubeconfigAsync(ClusterTarget target, CallContext call)
        {
            ArmClient arm = await OpenAsync(call).ConfigureAwait(false);
            AksCluster cluster = target.Cluster
                ?? await _clusters.GetAsync(arm, _clusters.IdFor(call, target.ClusterResourceId, target.ResourceGroupName, target.ClusterName)).ConfigureAwait(false);
            return (cluster, await _clusters.GetKubeconfigAsync(arm, cluster, target.Admin).ConfigureAwait(false));
        }

        internal Task<ArmClient> OpenAsync(CallContext call) => ArmClient.OpenAsync(call, _options);

        /// <summary>The resource units, for the integration's dependency graph (Integration/AzureSteps), which orders their calls itself.</summary>
        internal ResourceIds Ids => _ids;

        internal ClusterResources Clusters => _clusters;

        internal FederatedCredentials Credentials => _credentials;

        internal RoleAssignments Roles => _roles;

        internal Workspaces WorkspaceResources => _workspaces;
    }
}
