using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using global::Azure.Core;
using KedaAks.Engine.Resources;

namespace KedaAks.Engine.Azure
{
    /// <summary>
    /// Steps 1-7 and 10 of the article against ARM. Every write is preceded by a read and skipped when
    /// the resource already is as asked, so re-runs converge without writes; every write asks
    /// ShouldProcess first, so -WhatIf reads and reports but never writes.
    /// </summary>
    internal sealed class AzureService : IAzureService
    {
        private static readonly Regex IdentityNamePattern = new("^[a-zA-Z0-9][a-zA-Z0-9_-]{2,127}$", RegexOptions.CultureInvariant);
        private static readonly Regex CredentialNamePattern = new("^[a-zA-Z0-9][a-zA-Z0-9-_]{2,119}$", RegexOptions.CultureInvariant);

        /// <summary>Federated-credential writes on one identity must not overlap (Entra refuses them); one gate per identity, process-wide.</summary>
        private static readonly ConcurrentDictionary<string, SemaphoreSlim> CredentialWriteGates = new(StringComparer.OrdinalIgnoreCase);

        private readonly EngineOptions _options;

        public AzureService(EngineOptions options) => _options = options;

        public async Task<AzureConnection> ConnectAsync(CallContext call)
        {
            ArmConnection arm = await ArmConnection.OpenAsync(call.Azure, call.Host, _options, call.Cancellation).ConfigureAwait(false);
            string? subscription = ResolveSubscription(call.Azure, call.Host, required: false);
            string? tenant = call.Azure.TenantId ?? _options.Environment.Get("AZURE_TENANT_ID");
            string? subscriptionName = null;
            if (subscription is not null)
            {
                ArmResponse response = await arm.SendAsync(RequestMethod.Get, $"/subscriptions/{subscription}", ArmApi.Subscriptions, null, call.Cancellation).ConfigureAwait(false);
                if (!response.IsSuccess)
                {
                    throw ArmErrors.ToException(response, subscription, $"Reading subscription '{subscription}'");
                }

                subscriptionName = ArmModels.Str(response.Body?["displayName"]);
                tenant ??= ArmModels.Str(response.Body?["tenantId"]);
            }

            return new AzureConnection(arm.Cloud.Name, arm.Cloud.ArmEndpoint, arm.Cloud.AuthorityHost, tenant, subscription, subscriptionName,
                call.Azure.TokenSource, arm.Source.Description);
        }

        public async Task<AksCluster> GetClusterAsync(string? resourceId, string? resourceGroupName, string? name, CallContext call)
        {
            string id = ResourceIdFor(call.Azure, call.Host, resourceId, resourceGroupName, name, "Microsoft.ContainerService/managedClusters");
            ArmConnection arm = await ArmConnection.OpenAsync(call.Azure, call.Host, _options, call.Cancellation).ConfigureAwait(false);
            return ArmModels.ToCluster(await GetRequiredAsync(arm, id, ArmApi.ContainerService, "AKS cluster", call.Cancellation).ConfigureAwait(false));
        }

        public async Task<AksCluster> EnableWorkloadIdentityAsync(AksCluster? known, string? resourceId, string? resourceGroupName, string? name, CallContext call)
        {
            if (known is { OidcIssuerEnabled: true, WorkloadIdentityEnabled: true, OidcIssuerUrl: not null })
            {
                call.Host.WriteVerbose($"AKS cluster '{known.Name}' already has the OIDC issuer and workload identity enabled; nothing to change.");
                return known;
            }

            resourceId ??= known?.ResourceId;
            string id = ResourceIdFor(call.Azure, call.Host, resourceId, resourceGroupName, name, "Microsoft.ContainerService/managedClusters");
            ArmConnection arm = await ArmConnection.OpenAsync(call.Azure, call.Host, _options, call.Cancellation).ConfigureAwait(false);
            JsonNode cluster = await GetRequiredAsync(arm, id, ArmApi.ContainerService, "AKS cluster", call.Cancellation).ConfigureAwait(false);
            AksCluster current = ArmModels.ToCluster(cluster);
            if (current.OidcIssuerEnabled && current.WorkloadIdentityEnabled)
            {
                call.Host.WriteVerbose($"AKS cluster '{current.Name}' already has the OIDC issuer and workload identity enabled; nothing to change.");
                return current;
            }

            string target = $"AKS cluster '{current.Name}' in resource group '{current.ResourceGroupName}'";
            string change = (current.OidcIssuerEnabled ? string.Empty : "enable the OIDC issuer") + (!current.OidcIssuerEnabled && !current.WorkloadIdentityEnabled ? " and " : string.Empty)
                + (current.WorkloadIdentityEnabled ? string.Empty : "enable workload identity");
            if (!call.Host.ShouldProcess(target, char.ToUpperInvariant(change[0]) + change.Substring(1)))
            {
                call.Host.WriteVerbose($"Would {change} on {target} (a full PUT of the cluster, then a wait for the long-running operation).");
                return current;
            }

            // What 'az aks update --enable-oidc-issuer --enable-workload-identity' does: GET, set both flags, PUT the whole object back.
            JsonObject properties = cluster["properties"]!.AsObject();
            properties.Remove("provisioningState");
            properties["oidcIssuerProfile"] = new JsonObject { ["enabled"] = true };
            if (properties["securityProfile"] is not JsonObject security)
            {
                security = new JsonObject();
                properties["securityProfile"] = security;
            }

            security["workloadIdentity"] = new JsonObject { ["enabled"] = true };
            ArmResponse put = await arm.SendAsync(RequestMethod.Put, id, ArmApi.ContainerService, cluster, call.Cancellation).ConfigureAwait(false);
            if (!put.IsSuccess)
            {
                throw ArmErrors.ToException(put, id, $"Updating {target}");
            }

            await WaitForOperationAsync(arm, put, $"Enabling workload identity on AKS cluster '{current.Name}'", id, call).ConfigureAwait(false);
            AksCluster updated = ArmModels.ToCluster(await GetRequiredAsync(arm, id, ArmApi.ContainerService, "AKS cluster", call.Cancellation).ConfigureAwait(false));
            call.Host.WriteVerbose($"AKS cluster '{updated.Name}': OIDC issuer {updated.OidcIssuerUrl}, workload identity {(updated.WorkloadIdentityEnabled ? "enabled" : "not enabled")}.");
            return updated;
        }

        public async Task<MonitorWorkspace> GetMonitorWorkspaceAsync(string? resourceId, string? resourceGroupName, string? name, CallContext call)
        {
            string id = ResourceIdFor(call.Azure, call.Host, resourceId, resourceGroupName, name, "Microsoft.Monitor/accounts");
            ArmConnection arm = await ArmConnection.OpenAsync(call.Azure, call.Host, _options, call.Cancellation).ConfigureAwait(false);
            return ArmModels.ToWorkspace(await GetRequiredAsync(arm, id, ArmApi.Monitor, "Azure Monitor workspace", call.Cancellation).ConfigureAwait(false));
        }

        public async Task<MonitorWorkspace> ResolveMonitorWorkspaceAsync(string reference, string? subscriptionId, string? resourceGroupName, CallContext call)
        {
            string text = (reference ?? string.Empty).Trim();
            if (text.StartsWith("/", StringComparison.Ordinal))
            {
                ResourceIdentifier id = ParseWorkspaceId(text);
                ArmConnection byId = await ArmConnection.OpenAsync(call.Azure, call.Host, _options, call.Cancellation).ConfigureAwait(false);
                return ArmModels.ToWorkspace(await GetRequiredAsync(byId, id.ToString(), ArmApi.Monitor, "Azure Monitor workspace", call.Cancellation).ConfigureAwait(false));
            }

            if (!WorkspaceNamePattern.IsMatch(text))
            {
                throw InvalidWorkspace(reference, $"'{reference}' is neither an Azure Monitor workspace resource id nor a workspace name.");
            }

            string subscription = subscriptionId ?? ResolveSubscription(call.Azure, call.Host, required: true)!;
            ArmConnection arm = await ArmConnection.OpenAsync(call.Azure, call.Host, _options, call.Cancellation).ConfigureAwait(false);
            if (!string.IsNullOrEmpty(resourceGroupName))
            {
                string candidate = $"/subscriptions/{subscription}/resourceGroups/{resourceGroupName}/providers/Microsoft.Monitor/accounts/{text}";
                ArmResponse inGroup = await arm.SendAsync(RequestMethod.Get, candidate, ArmApi.Monitor, null, call.Cancellation).ConfigureAwait(false);
                if (inGroup.IsSuccess && inGroup.Body is not null)
                {
                    return ArmModels.ToWorkspace(inGroup.Body);
                }

                if (inGroup.Status != 404)
                {
                    throw ArmErrors.ToException(inGroup, candidate, $"Reading Azure Monitor workspace '{text}'");
                }
            }

            List<JsonNode> all = await ListAsync(arm, $"/subscriptions/{subscription}/providers/Microsoft.Monitor/accounts", ArmApi.Monitor, call.Cancellation).ConfigureAwait(false);
            var matches = all.Where(w => string.Equals(ArmModels.Str(w["name"]), text, StringComparison.OrdinalIgnoreCase)).Select(ArmModels.ToWorkspace).ToList();
            return matches.Count switch
            {
                1 => matches[0],
                0 => throw InvalidWorkspace(reference, $"No Azure Monitor workspace named '{text}' exists in {(string.IsNullOrEmpty(resourceGroupName) ? string.Empty : $"resource group '{resourceGroupName}' or ")}subscription '{subscription}'."),
                _ => throw InvalidWorkspace(reference, $"{matches.Count} Azure Monitor workspaces are named '{text}' in subscription '{subscription}': {string.Join(", ", matches.Select(m => m.ResourceId))}."),
            };
        }

        private static readonly Regex WorkspaceNamePattern = new("^[A-Za-z0-9][A-Za-z0-9_.-]{0,259}$", RegexOptions.CultureInvariant);

        private static KedaAksException InvalidWorkspace(string? reference, string message) =>
            new("InvalidMonitorWorkspace", KedaErrorCategory.InvalidArgument, message, reference,
                "Pass -MonitorWorkspace a workspace from Get-KedaMonitorWorkspace, its resource id (/subscriptions/.../providers/Microsoft.Monitor/accounts/<name>), or its name.");

        private static ResourceIdentifier ParseWorkspaceId(string text)
        {
            try
            {
                var id = new ResourceIdentifier(text);
                if (string.Equals(id.ResourceType.ToString(), "Microsoft.Monitor/accounts", StringComparison.OrdinalIgnoreCase) && id.SubscriptionId is not null)
                {
                    return id;
                }

                throw InvalidWorkspace(text, $"'{text}' is a {id.ResourceType}, not an Azure Monitor workspace (Microsoft.Monitor/accounts).");
            }
            catch (FormatException)
            {
                throw InvalidWorkspace(text, $"'{text}' is not an Azure resource id.");
            }
        }

        public async Task<WorkloadIdentity> NewWorkloadIdentityAsync(WorkloadIdentityRequest request, CallContext call)
        {
            ValidateIdentityRequest(request);
            ArmConnection arm = await ArmConnection.OpenAsync(call.Azure, call.Host, _options, call.Cancellation).ConfigureAwait(false);
            AksCluster cluster = request.Cluster ?? ArmModels.ToCluster(await GetRequiredAsync(arm,
                ResourceIdFor(call.Azure, call.Host, request.ClusterResourceId, request.ClusterResourceGroupName, request.ClusterName, "Microsoft.ContainerService/managedClusters"), ArmApi.ContainerService, "AKS cluster", call.Cancellation).ConfigureAwait(false));
            if (!cluster.OidcIssuerEnabled || string.IsNullOrEmpty(cluster.OidcIssuerUrl))
            {
                throw new KedaAksException("OidcIssuerNotEnabled", KedaErrorCategory.InvalidOperation,
                    $"AKS cluster '{cluster.Name}' has no OIDC issuer, so there is no issuer to federate the identity with.", cluster.ResourceId,
                    "Run Enable-KedaAksWorkloadIdentity first: Get-KedaAksCluster ... | Enable-KedaAksWorkloadIdentity | New-KedaWorkloadIdentity.");
            }

            if (!cluster.WorkloadIdentityEnabled)
            {
                call.Host.WriteWarning($"AKS cluster '{cluster.Name}' has the OIDC issuer but not workload identity; the webhook will not inject tokens into KEDA's pod. Run Enable-KedaAksWorkloadIdentity.");
            }

            // Every workspace is known before anything is written: a wrong one fails the command with nothing made.
            var workspaceIds = new List<string>();
            foreach (string reference in request.MonitorWorkspaces.Distinct(StringComparer.OrdinalIgnoreCase))
            {
                MonitorWorkspace found = await ResolveMonitorWorkspaceAsync(reference, cluster.SubscriptionId, cluster.ResourceGroupName, call).ConfigureAwait(false);
                workspaceIds.Add(found.ResourceId ?? reference);
            }

            string subscription = cluster.SubscriptionId;
            string resourceGroup = request.IdentityResourceGroupName ?? cluster.ResourceGroupName;
            string identityId = $"/subscriptions/{subscription}/resourceGroups/{resourceGroup}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{request.IdentityName}";
            string issuer = cluster.OidcIssuerUrl!;
            string subject = $"system:serviceaccount:{request.ServiceAccountNamespace}:{request.ServiceAccountName}";

            // Identity: read, create only when missing.
            ArmResponse identityResponse = await arm.SendAsync(RequestMethod.Get, identityId, ArmApi.ManagedIdentity, null, call.Cancellation).ConfigureAwait(false);
            JsonNode? identity = null;
            if (identityResponse.IsSuccess)
            {
                identity = identityResponse.Body;
                call.Host.WriteVerbose($"User-assigned identity '{request.IdentityName}' exists.");
            }
            else if (identityResponse.Status != 404)
            {
                throw ArmErrors.ToException(identityResponse, identityId, $"Reading user-assigned identity '{request.IdentityName}'");
            }
            else if (call.Host.ShouldProcess($"user-assigned identity '{request.IdentityName}' in resource group '{resourceGroup}'", "Create"))
            {
                string location = request.Location ?? cluster.Location ?? throw new KedaAksException("LocationRequired", KedaErrorCategory.InvalidArgument,
                    "The identity needs a location and the cluster has none.", request.IdentityName, "Pass -Location.");
                ArmResponse created = await arm.SendAsync(RequestMethod.Put, identityId, ArmApi.ManagedIdentity, new JsonObject { ["location"] = location }, call.Cancellation).ConfigureAwait(false);
                if (!created.IsSuccess)
                {
                    throw ArmErrors.ToException(created, identityId, $"Creating user-assigned identity '{request.IdentityName}'");
                }

                identity = created.Body;
            }
            else
            {
                call.Host.WriteVerbose($"Would create user-assigned identity '{request.IdentityName}' in resource group '{resourceGroup}' ({request.Location ?? cluster.Location}).");
            }

            var result = new WorkloadIdentity
            {
                IdentityName = request.IdentityName,
                IdentityResourceId = identity is null ? identityId : ArmModels.Str(identity["id"]) ?? identityId,
                ResourceGroupName = resourceGroup,
                SubscriptionId = subscription,
                Location = identity is null ? request.Location ?? cluster.Location : ArmModels.Str(identity["location"]),
                ClientId = ArmModels.Str(identity?["properties"]?["clientId"]),
                TenantId = ArmModels.Str(identity?["properties"]?["tenantId"]),
                PrincipalId = ArmModels.Str(identity?["properties"]?["principalId"]),
                FederatedCredentialName = request.FederatedCredentialName,
                Issuer = issuer,
                Subject = subject,
                Audience = request.Audience,
                ServiceAccountNamespace = request.ServiceAccountNamespace,
                ServiceAccountName = request.ServiceAccountName,
                ClusterResourceId = cluster.ResourceId,
            };

            // The credential and the role assignments depend only on the identity: run them side by side.
            Task<string> credential = identity is not null
                ? EnsureFederatedCredentialAsync(arm, identityId, request, issuer, subject, call)
                : Task.FromResult(request.FederatedCredentialName);
            if (identity is null)
            {
                call.Host.WriteVerbose($"Would create federated credential '{request.FederatedCredentialName}' (issuer {issuer}, subject {subject}, audience {request.Audience}).");
            }

            var grants = new List<Task<RoleAssignment?>>();
            foreach (string workspace in workspaceIds.Distinct(StringComparer.OrdinalIgnoreCase))
            {
                if (result.PrincipalId is null)
                {
                    call.Host.WriteVerbose($"Would grant {ArmApi.MonitoringDataReaderRoleName} on '{workspace}' to the new identity.");
                    continue;
                }

                grants.Add(GrantAsync(arm, result.PrincipalId, workspace, call));
            }

            // Wait for all of them, so a failure in one never leaves another running unobserved.
            await Task.WhenAll(grants.Cast<Task>().Append(credential)).ConfigureAwait(false);
            result.FederatedCredentialName = credential.Result;
            var assignments = grants.Select(g => g.Result).Where(a => a is not null).Select(a => a!).ToList();
            result.RoleAssignments = assignments;
            return result;
        }

        public async Task<RoleAssignment?> GrantMonitoringDataReaderAsync(string principalId, string scope, CallContext call)
        {
            ArmConnection arm = await ArmConnection.OpenAsync(call.Azure, call.Host, _options, call.Cancellation).ConfigureAwait(false);
            return await GrantAsync(arm, principalId, scope, call).ConfigureAwait(false);
        }

        public async Task RemoveWorkloadIdentityAsync(RemoveWorkloadIdentityRequest request, CallContext call)
        {
            string identityId = request.IdentityResourceId ?? throw new KedaAksException("IdentityRequired", KedaErrorCategory.InvalidArgument,
                "No identity was named.", null, "Pipe a WorkloadIdentity, or pass -IdentityName and -ResourceGroupName.");
            var parsed = ParseId(identityId, "Microsoft.ManagedIdentity/userAssignedIdentities");
            ArmConnection arm = await ArmConnection.OpenAsync(call.Azure, call.Host, _options, call.Cancellation).ConfigureAwait(false);
            ArmResponse identity = await arm.SendAsync(RequestMethod.Get, identityId, ArmApi.ManagedIdentity, null, call.Cancellation).ConfigureAwait(false);
            if (identity.Status == 404)
            {
                call.Host.WriteVerbose($"User-assigned identity '{parsed.Name}' does not exist; nothing to remove.");
                return;
            }

            if (!identity.IsSuccess)
            {
                throw ArmErrors.ToException(identity, identityId, $"Reading user-assigned identity '{parsed.Name}'");
            }

            // Role assignments first: deleting the identity would leave them behind as "Identity not found" entries.
            string? principalId = ArmModels.Str(identity.Body?["properties"]?["principalId"]);
            if (principalId is not null)
            {
                string filter = Uri.EscapeDataString($"principalId eq '{principalId}'");
                foreach (JsonNode assignment in await ListAsync(arm, $"/subscriptions/{parsed.SubscriptionId}/providers/Microsoft.Authorization/roleAssignments?$filter={filter}", ArmApi.Authorization, call.Cancellation).ConfigureAwait(false))
                {
                    RoleAssignment role = ArmModels.ToRoleAssignment(assignment);
                    if (call.Host.ShouldProcess($"role assignment '{role.RoleName ?? role.RoleDefinitionId}' of '{parsed.Name}' on '{role.Scope}'", "Remove"))
                    {
                        await DeleteAsync(arm, role.Id, ArmApi.Authorization, "role assignment", call.Cancellation).ConfigureAwait(false);
                    }
                }
            }

            if (request.FederatedCredentialName is { } credential && call.Host.ShouldProcess($"federated credential '{credential}' of identity '{parsed.Name}'", "Remove"))
            {
                await DeleteAsync(arm, $"{identityId}/federatedIdentityCredentials/{credential}", ArmApi.ManagedIdentity, "federated credential", call.Cancellation).ConfigureAwait(false);
            }

            if (!request.KeepIdentity && call.Host.ShouldProcess($"user-assigned identity '{parsed.Name}' in resource group '{parsed.ResourceGroupName}'", "Remove"))
            {
                await DeleteAsync(arm, identityId, ArmApi.ManagedIdentity, "user-assigned identity", call.Cancellation).ConfigureAwait(false);
            }
        }

        /// <summary>An identity by resource id, or null when it does not exist.</summary>
        internal async Task<UserAssignedIdentity?> GetIdentityAsync(string identityId, CallContext call)
        {
            ArmConnection arm = await ArmConnection.OpenAsync(call.Azure, call.Host, _options, call.Cancellation).ConfigureAwait(false);
            ArmResponse response = await arm.SendAsync(RequestMethod.Get, identityId, ArmApi.ManagedIdentity, null, call.Cancellation).ConfigureAwait(false);
            return response.Status == 404 ? null
                : response.IsSuccess && response.Body is not null ? ArmModels.ToIdentity(response.Body) : throw ArmErrors.ToException(response, identityId, "Reading the identity");
        }

        /// <summary>The user-assigned identity with this client id in the subscription, or null.</summary>
        internal async Task<UserAssignedIdentity?> FindIdentityByClientIdAsync(string subscription, string clientId, CallContext call)
        {
            ArmConnection arm = await ArmConnection.OpenAsync(call.Azure, call.Host, _options, call.Cancellation).ConfigureAwait(false);
            List<JsonNode> all = await ListAsync(arm, $"/subscriptions/{subscription}/providers/Microsoft.ManagedIdentity/userAssignedIdentities", ArmApi.ManagedIdentity, call.Cancellation).ConfigureAwait(false);
            return all.Select(ArmModels.ToIdentity).FirstOrDefault(i => string.Equals(i.ClientId, clientId, StringComparison.OrdinalIgnoreCase));
        }

        internal async Task<IReadOnlyList<FederatedCredential>> ListFederatedCredentialsAsync(string identityId, CallContext call)
        {
            ArmConnection arm = await ArmConnection.OpenAsync(call.Azure, call.Host, _options, call.Cancellation).ConfigureAwait(false);
            return (await ListAsync(arm, $"{identityId}/federatedIdentityCredentials", ArmApi.ManagedIdentity, call.Cancellation).ConfigureAwait(false)).Select(ArmModels.ToFederatedCredential).ToList();
        }

        /// <summary>Role assignments of a principal that apply at a scope (at it or above it).</summary>
        internal async Task<List<RoleAssignment>> RoleAssignmentsAtAsync(string principalId, string scope, CallContext call)
        {
            ArmConnection arm = await ArmConnection.OpenAsync(call.Azure, call.Host, _options, call.Cancellation).ConfigureAwait(false);
            string filter = Uri.EscapeDataString($"principalId eq '{principalId}'");
            List<JsonNode> all = await ListAsync(arm, $"{scope}/providers/Microsoft.Authorization/roleAssignments?$filter={filter}", ArmApi.Authorization, call.Cancellation).ConfigureAwait(false);
            return all.Select(ArmModels.ToRoleAssignment).Where(r => scope.StartsWith(r.Scope, StringComparison.OrdinalIgnoreCase)).ToList();
        }

        /// <summary>The cluster and the kubeconfig ARM returns for it (user or admin credentials), decoded, in memory.</summary>
        internal async Task<(AksCluster Cluster, string Kubeconfig)> GetKubeconfigAsync(ClusterTarget target, CallContext call)
        {
            ArmConnection arm = await ArmConnection.OpenAsync(call.Azure, call.Host, _options, call.Cancellation).ConfigureAwait(false);
            string id = target.Cluster?.ResourceId ?? ResourceIdFor(call.Azure, call.Host, target.ClusterResourceId, target.ResourceGroupName, target.ClusterName, "Microsoft.ContainerService/managedClusters");
            AksCluster cluster = target.Cluster ?? ArmModels.ToCluster(await GetRequiredAsync(arm, id, ArmApi.ContainerService, "AKS cluster", call.Cancellation).ConfigureAwait(false));
            string action = target.Admin ? "listClusterAdminCredential" : "listClusterUserCredential";
            ArmResponse response = await arm.SendAsync(RequestMethod.Post, $"{id}/{action}", ArmApi.ContainerService, null, call.Cancellation).ConfigureAwait(false);
            if (!response.IsSuccess)
            {
                KedaAksException error = ArmErrors.ToException(response, id, $"Getting {(target.Admin ? "admin" : "user")} credentials of AKS cluster '{cluster.Name}'");
                throw target.Admin && cluster.LocalAccountsDisabled
                    ? new KedaAksException(error.ErrorId, error.Category, error.Message, id, "The cluster has local accounts disabled: connect without -Admin; KedaAks then uses an Entra token for the AKS API server.")
                    : error;
            }

            string? encoded = ArmModels.Str(response.Body?["kubeconfigs"]?[0]?["value"]);
            if (encoded is null)
            {
                throw new KedaAksException("NoKubeconfig", KedaErrorCategory.InvalidData, $"ARM returned no kubeconfig for AKS cluster '{cluster.Name}'.", id, "Run the command again; if it persists, check the cluster in the portal.");
            }

            return (cluster, System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(encoded)));
        }

        private async Task<string> EnsureFederatedCredentialAsync(ArmConnection arm, string identityId, WorkloadIdentityRequest request, string issuer, string subject,
            CallContext call)
        {
            string credentialId = $"{identityId}/federatedIdentityCredentials/{request.FederatedCredentialName}";
            SemaphoreSlim gate = CredentialWriteGates.GetOrAdd(identityId, _ => new SemaphoreSlim(1, 1));
            await gate.WaitAsync(call.Cancellation).ConfigureAwait(false);
            try
            {
                ArmResponse existing = await arm.SendAsync(RequestMethod.Get, credentialId, ArmApi.ManagedIdentity, null, call.Cancellation).ConfigureAwait(false);
                string action;
                if (existing.IsSuccess)
                {
                    if (SameCredential(existing.Body, issuer, subject, request.Audience))
                    {
                        call.Host.WriteVerbose($"Federated credential '{request.FederatedCredentialName}' already maps {subject} from {issuer}.");
                        return request.FederatedCredentialName;
                    }

                    action = $"Update (issuer {issuer}, subject {subject}, audience {request.Audience})";
                }
                else if (existing.Status == 404)
                {
                    List<JsonNode> all = await ListAsync(arm, $"{identityId}/federatedIdentityCredentials", ArmApi.ManagedIdentity, call.Cancellation).ConfigureAwait(false);
                    JsonNode? twin = all.FirstOrDefault(c => string.Equals(ArmModels.Str(c["properties"]?["issuer"]), issuer, StringComparison.Ordinal)
                        && string.Equals(ArmModels.Str(c["properties"]?["subject"]), subject, StringComparison.Ordinal));
                    if (twin is not null)
                    {
                        string twinName = ArmModels.Str(twin["name"]) ?? "?";
                        call.Host.WriteWarning($"Federated credential '{twinName}' on identity '{request.IdentityName}' already maps {subject} from this issuer; using it instead of creating '{request.FederatedCredentialName}' (Entra allows one credential per issuer and subject).");
                        return twinName;
                    }

                    if (all.Count >= 20)
                    {
                        throw new KedaAksException("TooManyFederatedCredentials", KedaErrorCategory.LimitsExceeded,
                            $"Identity '{request.IdentityName}' already has {all.Count} federated credentials, the most Entra allows.", identityId,
                            "Remove credentials the identity no longer needs, or use another identity (-IdentityName).");
                    }

                    action = $"Create (issuer {issuer}, subject {subject}, audience {request.Audience})";
                }
                else
                {
                    throw ArmErrors.ToException(existing, credentialId, $"Reading federated credential '{request.FederatedCredentialName}'");
                }

                if (!call.Host.ShouldProcess($"federated credential '{request.FederatedCredentialName}' of identity '{request.IdentityName}'", action))
                {
                    return request.FederatedCredentialName;
                }

                var body = new JsonObject
                {
                    ["properties"] = new JsonObject { ["issuer"] = issuer, ["subject"] = subject, ["audiences"] = new JsonArray(request.Audience) },
                };
                TimeSpan backoff = _options.ConflictBackoff;
                for (int attempt = 1; ; attempt++)
                {
                    ArmResponse put = await arm.SendAsync(RequestMethod.Put, credentialId, ArmApi.ManagedIdentity, body.DeepClone(), call.Cancellation).ConfigureAwait(false);
                    if (put.IsSuccess)
                    {
                        call.Host.WriteVerbose($"Federated credential '{request.FederatedCredentialName}' written. Entra may take a few minutes to accept tokens for it (Wait-KedaWorkloadIdentity proves when).");
                        return request.FederatedCredentialName;
                    }

                    if (put.Status == 409 && put.ErrorCode == "ConcurrentFederatedIdentityCredentialsWritesForSingleManagedIdentity" && attempt < 6)
                    {
                        call.Host.WriteVerbose($"Another federated-credential write on '{request.IdentityName}' is in progress; retrying in {backoff.TotalSeconds:0.#} s.");
                        await _options.Delay(backoff, call.Cancellation).ConfigureAwait(false);
                        backoff += backoff;
                        continue;
                    }

                    throw ArmErrors.ToException(put, credentialId, $"Writing federated credential '{request.FederatedCredentialName}'");
                }
            }
            finally
            {
                gate.Release();
            }
        }

        private static bool SameCredential(JsonNode? credential, string issuer, string subject, string audience)
        {
            JsonNode? p = credential?["properties"];
            return string.Equals(ArmModels.Str(p?["issuer"]), issuer, StringComparison.Ordinal)
                && string.Equals(ArmModels.Str(p?["subject"]), subject, StringComparison.Ordinal)
                && p?["audiences"] is JsonArray audiences && audiences.Count == 1 && string.Equals(ArmModels.Str(audiences[0]), audience, StringComparison.Ordinal);
        }

        private async Task<RoleAssignment?> GrantAsync(ArmConnection arm, string principalId, string scope, CallContext call)
        {
            ResourceIdentifier scopeId;
            try
            {
                scopeId = new ResourceIdentifier(scope.StartsWith("/", StringComparison.Ordinal) ? scope : "/" + scope);
            }
            catch (FormatException exception)
            {
                throw new KedaAksException("InvalidScope", KedaErrorCategory.InvalidArgument, $"'{scope}' is not an Azure resource id.", scope,
                    "Pass an Azure Monitor workspace (Get-KedaMonitorWorkspace) or its resource id.", exception);
            }

            if (!string.Equals(scopeId.ResourceType.ToString(), "Microsoft.Monitor/accounts", StringComparison.OrdinalIgnoreCase))
            {
                call.Host.WriteWarning($"Scope '{scopeId}' is not an Azure Monitor workspace but a {scopeId.ResourceType}: {ArmApi.MonitoringDataReaderRoleName} there reaches more than the workspace KEDA queries. Grant it on the workspace instead.");
            }

            string roleDefinitionId = $"/subscriptions/{scopeId.SubscriptionId}/providers/Microsoft.Authorization/roleDefinitions/{ArmApi.MonitoringDataReaderRoleId}";
            string name = ArmApi.RoleAssignmentName(scopeId.ToString(), principalId, ArmApi.MonitoringDataReaderRoleId);
            string assignmentId = $"{scopeId}/providers/Microsoft.Authorization/roleAssignments/{name}";
            ArmResponse existing = await arm.SendAsync(RequestMethod.Get, assignmentId, ArmApi.Authorization, null, call.Cancellation).ConfigureAwait(false);
            if (existing.IsSuccess && existing.Body is not null)
            {
                RoleAssignment found = ArmModels.ToRoleAssignment(existing.Body);
                if (string.Equals(found.PrincipalId, principalId, StringComparison.OrdinalIgnoreCase))
                {
                    call.Host.WriteVerbose($"{ArmApi.MonitoringDataReaderRoleName} on '{scopeId.Name}' is already assigned to {principalId}.");
                    return found;
                }
            }
            else if (existing.Status != 404)
            {
                throw ArmErrors.ToException(existing, assignmentId, "Reading the role assignment");
            }

            if (!call.Host.ShouldProcess($"{ArmApi.MonitoringDataReaderRoleName} on '{scopeId}' for principal {principalId}", "Create role assignment"))
            {
                return null;
            }

            var body = new JsonObject
            {
                ["properties"] = new JsonObject { ["roleDefinitionId"] = roleDefinitionId, ["principalId"] = principalId, ["principalType"] = "ServicePrincipal" },
            };
            var clock = Stopwatch.StartNew();
            TimeSpan backoff = TimeSpan.FromSeconds(2);
            while (true)
            {
                ArmResponse put = await arm.SendAsync(RequestMethod.Put, assignmentId, ArmApi.Authorization, body.DeepClone(), call.Cancellation).ConfigureAwait(false);
                if (put.IsSuccess && put.Body is not null)
                {
                    return ArmModels.ToRoleAssignment(put.Body);
                }

                if (put.Status == 409 && put.ErrorCode == "RoleAssignmentExists")
                {
                    // The same role for the same principal exists under another name: that is success.
                    string filter = Uri.EscapeDataString($"principalId eq '{principalId}'");
                    List<JsonNode> all = await ListAsync(arm, $"{scopeId}/providers/Microsoft.Authorization/roleAssignments?$filter={filter}", ArmApi.Authorization, call.Cancellation).ConfigureAwait(false);
                    RoleAssignment? twin = all.Select(ArmModels.ToRoleAssignment).FirstOrDefault(r =>
                        r.RoleDefinitionId.EndsWith(ArmApi.MonitoringDataReaderRoleId, StringComparison.OrdinalIgnoreCase) && string.Equals(r.Scope, scopeId.ToString(), StringComparison.OrdinalIgnoreCase));
                    call.Host.WriteVerbose($"{ArmApi.MonitoringDataReaderRoleName} on '{scopeId.Name}' already exists for {principalId}{(twin is null ? string.Empty : $" as '{twin.Name}'")}.");
                    return twin ?? new RoleAssignment { Scope = scopeId.ToString(), RoleDefinitionId = roleDefinitionId, RoleName = ArmApi.MonitoringDataReaderRoleName, PrincipalId = principalId };
                }

                if (put.ErrorCode == "PrincipalNotFound" && clock.Elapsed + backoff < _options.PrincipalReplicationTimeout)
                {
                    call.Host.WriteVerbose($"Entra has not replicated principal {principalId} yet; retrying the role assignment in {backoff.TotalSeconds:0} s.");
                    call.Host.WriteProgress("Granting Monitoring Data Reader", $"Waiting for principal {principalId} to replicate ({clock.Elapsed.TotalSeconds:0} s)");
                    await _options.Delay(backoff, call.Cancellation).ConfigureAwait(false);
                    backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
                    continue;
                }

                call.Host.WriteProgress("Granting Monitoring Data Reader", string.Empty, completed: true);
                throw ArmErrors.ToException(put, assignmentId, $"Assigning {ArmApi.MonitoringDataReaderRoleName} on '{scopeId.Name}'");
            }
        }

        private async Task WaitForOperationAsync(ArmConnection arm, ArmResponse start, string activity, string target, CallContext call)
        {
            string? operation = start.Header("Azure-AsyncOperation") ?? start.Header("Location");
            if (operation is null)
            {
                return;
            }

            var clock = Stopwatch.StartNew();
            ArmResponse last = start;
            try
            {
                while (true)
                {
                    if (clock.Elapsed > _options.OperationTimeout)
                    {
                        throw new KedaAksException("OperationTimeout", KedaErrorCategory.OperationTimeout,
                            $"{activity} did not finish within {_options.OperationTimeout.TotalMinutes:0} minutes.", target,
                            "Check the cluster's provisioning state in the portal (Get-KedaAksCluster) and run the command again: it resumes.");
                    }

                    TimeSpan wait = int.TryParse(last.Header("Retry-After"), out int seconds) ? TimeSpan.FromSeconds(Math.Clamp(seconds, 0, 60)) : _options.DefaultPollInterval;
                    await _options.Delay(wait, call.Cancellation).ConfigureAwait(false);
                    last = await arm.SendAsync(RequestMethod.Get, operation, null, null, call.Cancellation).ConfigureAwait(false);
                    if (!last.IsSuccess)
                    {
                        throw ArmErrors.ToException(last, target, $"Polling {activity}");
                    }

                    string status = ArmModels.Str(last.Body?["status"]) ?? "InProgress";
                    call.Host.WriteProgress(activity, $"{status} ({clock.Elapsed.TotalSeconds:0} s)");
                    call.Host.WriteVerbose($"{activity}: {status} after {clock.Elapsed.TotalSeconds:0} s.");
                    switch (status)
                    {
                        case "Succeeded":
                            return;
                        case "Failed":
                        case "Canceled":
                            string code = ArmModels.Str(last.Body?["error"]?["code"]) ?? "OperationFailed";
                            throw new KedaAksException(code, KedaErrorCategory.InvalidOperation,
                                $"{activity} ended {status}: {ArmModels.Str(last.Body?["error"]?["message"]) ?? "no reason given"}.", target,
                                "Read Azure's reason, fix it, and run the command again.");
                    }
                }
            }
            finally
            {
                call.Host.WriteProgress(activity, string.Empty, completed: true);
            }
        }

        private static async Task<JsonNode> GetRequiredAsync(ArmConnection arm, string id, string apiVersion, string what, CancellationToken cancellationToken)
        {
            ArmResponse response = await arm.SendAsync(RequestMethod.Get, id, apiVersion, null, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccess || response.Body is null)
            {
                throw ArmErrors.ToException(response, id, $"Reading {what} '{id}'");
            }

            return response.Body;
        }

        private static async Task<List<JsonNode>> ListAsync(ArmConnection arm, string path, string apiVersion, CancellationToken cancellationToken)
        {
            var items = new List<JsonNode>();
            string? next = path;
            string? version = apiVersion;
            while (next is not null)
            {
                ArmResponse page = await arm.SendAsync(RequestMethod.Get, next, version, null, cancellationToken).ConfigureAwait(false);
                if (!page.IsSuccess)
                {
                    throw ArmErrors.ToException(page, path, "Listing");
                }

                if (page.Body?["value"] is JsonArray values)
                {
                    items.AddRange(values.Where(v => v is not null)!);
                }

                next = ArmModels.Str(page.Body?["nextLink"]);
                version = null; // nextLink carries its own api-version
            }

            return items;
        }

        private static async Task DeleteAsync(ArmConnection arm, string id, string apiVersion, string what, CancellationToken cancellationToken)
        {
            ArmResponse response = await arm.SendAsync(RequestMethod.Delete, id, apiVersion, null, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccess && response.Status != 404)
            {
                throw ArmErrors.ToException(response, id, $"Removing {what}");
            }
        }

        private string? ResolveSubscription(AzureSettings settings, IKedaAksHost host, bool required)
        {
            string? subscription = settings.SubscriptionId ?? _options.Environment.Get("AZURE_SUBSCRIPTION_ID") ?? host.GetAzContext()?.SubscriptionId;
            if (subscription is null && required)
            {
                throw new KedaAksException("NoSubscription", KedaErrorCategory.InvalidArgument, "No Azure subscription was given and none could be found.", null,
                    "Pass -SubscriptionId, set AZURE_SUBSCRIPTION_ID, run Connect-KedaAzure -SubscriptionId, or select one with Set-AzContext.");
            }

            return subscription;
        }

        private string ResourceIdFor(AzureSettings settings, IKedaAksHost host, string? resourceId, string? resourceGroupName, string? name, string type)
        {
            if (!string.IsNullOrWhiteSpace(resourceId))
            {
                return ParseId(resourceId!, type).ToString();
            }

            if (string.IsNullOrWhiteSpace(resourceGroupName) || string.IsNullOrWhiteSpace(name))
            {
                throw new KedaAksException("ResourceNotNamed", KedaErrorCategory.InvalidArgument, $"No {type} was named.", name,
                    "Pass -ResourceGroupName and -Name, or -ResourceId, or pipe the object in.");
            }

            string subscription = ResolveSubscription(settings, host, required: true)!;
            return $"/subscriptions/{subscription}/resourceGroups/{resourceGroupName}/providers/{type}/{name}";
        }

        private static ResourceIdentifier ParseId(string resourceId, string expectedType)
        {
            try
            {
                var id = new ResourceIdentifier(resourceId.Trim());
                if (!string.Equals(id.ResourceType.ToString(), expectedType, StringComparison.OrdinalIgnoreCase) || id.SubscriptionId is null)
                {
                    throw new KedaAksException("WrongResourceType", KedaErrorCategory.InvalidArgument,
                        $"'{resourceId}' is a {id.ResourceType}, not a {expectedType}.", resourceId, $"Pass the resource id of a {expectedType}.");
                }

                return id;
            }
            catch (FormatException exception)
            {
                throw new KedaAksException("InvalidResourceId", KedaErrorCategory.InvalidArgument, $"'{resourceId}' is not an Azure resource id.", resourceId,
                    "Use the form /subscriptions/<id>/resourceGroups/<group>/providers/<namespace>/<type>/<name>.", exception);
            }
        }

        private static void ValidateIdentityRequest(WorkloadIdentityRequest request)
        {
            var violations = new Violations();
            if (!IdentityNamePattern.IsMatch(request.IdentityName))
            {
                violations.Add("InvalidIdentityName", request.IdentityName, $"identity name '{request.IdentityName}' is invalid: 3-128 characters, letters, digits, '-' and '_', starting with a letter or digit.", "Choose a name such as keda-int-identity.");
            }

            if (!CredentialNamePattern.IsMatch(request.FederatedCredentialName))
            {
                violations.Add("InvalidFederatedCredentialName", request.FederatedCredentialName,
                    $"Federated Identity Credential name '{request.FederatedCredentialName}' is invalid: 3-120 characters, letters, digits, '-' and '_', starting with a letter or digit.", "Choose a name such as kedaFedIdentity.");
            }

            if (KubernetesNames.CheckLabel(request.ServiceAccountNamespace) is { } nsReason)
            {
                violations.Add("InvalidNamespace", request.ServiceAccountNamespace, $"namespace '{request.ServiceAccountNamespace}' is invalid: {nsReason}.", "Use the namespace KEDA is installed in, e.g. keda.");
            }

            if (KubernetesNames.CheckSubdomain(request.ServiceAccountName) is { } saReason)
            {
                violations.Add("InvalidServiceAccountName", request.ServiceAccountName, $"service account name '{request.ServiceAccountName}' is invalid: {saReason}.", "Use KEDA's operator service account, keda-operator.");
            }

            if (string.IsNullOrWhiteSpace(request.Audience) || request.Audience.Trim() != request.Audience)
            {
                violations.Add("InvalidAudience", request.Audience, "the audience must be one value without surrounding spaces.", $"Use {ArmApi.TokenExchangeAudience}.");
            }

            violations.ThrowIfAny($"workload identity '{request.IdentityName}'");
        }
    }
}
