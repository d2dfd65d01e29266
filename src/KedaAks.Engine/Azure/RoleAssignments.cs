using System.Diagnostics;
using global::Azure.Core;

namespace KedaAks.Engine.Azure
{
    /// <summary>Monitoring Data Reader assignments: grant (idempotent, safe right after the principal was created), list, delete.</summary>
    internal sealed class RoleAssignments
    {
        private readonly EngineOptions _options;

        public RoleAssignments(EngineOptions options) => _options = options;

        /// <summary>Role assignments of a principal that apply at a scope (at it or above it).</summary>
        public async Task<List<RoleAssignment>> AtScopeAsync(ArmClient arm, string principalId, string scope)
        {
            List<JsonNode> all = await arm.ListAsync($"{scope}/providers/Microsoft.Authorization/roleAssignments?$filter={PrincipalFilter(principalId)}", ArmApi.Authorization)
                .ConfigureAwait(false);
            return all.Select(ArmModels.ToRoleAssignment).Where(r => scope.StartsWith(r.Scope, StringComparison.OrdinalIgnoreCase)).ToList();
        }

        /// <summary>Every role assignment of a principal in a subscription.</summary>
        public async Task<List<RoleAssignment>> OfPrincipalAsync(ArmClient arm, string subscriptionId, string principalId) =>
            (await arm.ListAsync($"/subscriptions/{subscriptionId}/providers/Microsoft.Authorization/roleAssignments?$filter={PrincipalFilter(principalId)}", ArmApi.Authorization)
                .ConfigureAwait(false)).Select(ArmModels.ToRoleAssignment).ToList();

        public Task DeleteAsync(ArmClient arm, RoleAssignment role) => arm.DeleteAsync(role.Id, ArmApi.Authorization, "role assignment");

        /// <summary>Monitoring Data Reader for the principal at the scope; null under -WhatIf when it would be created.</summary>
        public async Task<RoleAssignment?> GrantMonitoringDataReaderAsync(ArmClient arm, string principalId, string scope)
        {
            if (!Guid.TryParse(principalId, out _))
            {
                // Checked before any request: a malformed id would otherwise look like a principal Entra has not replicated yet, retried for minutes.
                string shown = AzureSettingsRules.Shown(principalId);
                throw new KedaAksException("InvalidPrincipalId", KedaErrorCategory.InvalidArgument, $"'{shown}' is not a principal (object) id: a GUID.", shown,
                    "Pass the PrincipalId of the identity (New-KedaWorkloadIdentity outputs it), or pipe the WorkloadIdentity in.");
            }

            IKedaAksHost host = arm.Call.Host;
            ResourceIdentifier scopeId = ResourceIds.Scope(scope);
            if (!string.Equals(scopeId.ResourceType.ToString(), ResourceIds.MonitorWorkspace, StringComparison.OrdinalIgnoreCase))
            {
                host.WriteWarning($"Scope '{scopeId}' is not an Azure Monitor workspace but a {scopeId.ResourceType}: {ArmApi.MonitoringDataReaderRoleName} there reaches "
                    + "more than the workspace KEDA queries. Grant it on the workspace instead.");
            }

            string roleDefinitionId = $"/subscriptions/{scopeId.SubscriptionId}/providers/Microsoft.Authorization/roleDefinitions/{ArmApi.MonitoringDataReaderRoleId}";
            string name = ArmApi.RoleAssignmentName(scopeId.ToString(), principalId, ArmApi.MonitoringDataReaderRoleId);
            string assignmentId = $"{scopeId}/providers/Microsoft.Authorization/roleAssignments/{name}";
            ArmResponse existing = await arm.SendAsync(RequestMethod.Get, assignmentId, ArmApi.Authorization).ConfigureAwait(false);
            if (existing.IsSuccess && existing.Body is not null)
            {
                RoleAssignment found = ArmModels.ToRoleAssignment(existing.Body);
                if (string.Equals(found.PrincipalId, principalId, StringComparison.OrdinalIgnoreCase))
                {
                    host.WriteVerbose($"{ArmApi.MonitoringDataReaderRoleName} on '{scopeId.Name}' is already assigned to {principalId}.");
                    return found;
                }
            }
            else if (existing.Status != 404)
            {
                throw ArmErrors.ToException(existing, assignmentId, "Reading the role assignment");
            }

            if (!host.ShouldProcess($"{ArmApi.MonitoringDataReaderRoleName} on '{scopeId}' for principal {principalId}", "Create role assignment"))
            {
                return null;
            }

            return await CreateAsync(arm, principalId, scopeId, roleDefinitionId, assignmentId, null).ConfigureAwait(false);
        }

        /// <summary>The id Monitoring Data Reader for the principal at the scope has when this module makes it (a name derived from the three).</summary>
        public static string MonitoringDataReaderId(string principalId, string scope)
        {
            ResourceIdentifier scopeId = ResourceIds.Scope(scope);
            return $"{scopeId}/providers/Microsoft.Authorization/roleAssignments/{ArmApi.RoleAssignmentName(scopeId.ToString(), principalId, ArmApi.MonitoringDataReaderRoleId)}";
        }

        /// <summary>Creates Monitoring Data Reader with no read first (the caller knows it is missing), described as <paramref name="description"/>.</summary>
        public Task<RoleAssignment> CreateMonitoringDataReaderAsync(ArmClient arm, string principalId, string scope, string description)
        {
            ResourceIdentifier scopeId = ResourceIds.Scope(scope);
            string roleDefinitionId = $"/subscriptions/{scopeId.SubscriptionId}/providers/Microsoft.Authorization/roleDefinitions/{ArmApi.MonitoringDataReaderRoleId}";
            return CreateAsync(arm, principalId, scopeId, roleDefinitionId, MonitoringDataReaderId(principalId, scope), description);
        }

        private async Task<RoleAssignment> CreateAsync(ArmClient arm, string principalId, ResourceIdentifier scopeId, string roleDefinitionId, string assignmentId, string? description)
        {
            IKedaAksHost host = arm.Call.Host;
            var body = new JsonObject
            {
                ["properties"] = new JsonObject { ["roleDefinitionId"] = roleDefinitionId, ["principalId"] = principalId, ["principalType"] = "ServicePrincipal" },
            };
            if (description is not null)
            {
                body["properties"]!["description"] = description;
            }

            var clock = Stopwatch.StartNew();
            TimeSpan backoff = TimeSpan.FromSeconds(2);
            while (true)
            {
                ArmResponse put = await arm.SendAsync(RequestMethod.Put, assignmentId, ArmApi.Authorization, body.DeepClone()).ConfigureAwait(false);
                if (put.IsSuccess && put.Body is not null)
                {
                    return ArmModels.ToRoleAssignment(put.Body);
                }

                if (put.Status == 409 && put.ErrorCode == "RoleAssignmentExists")
                {
                    // The same role for the same principal exists under another name: that is success.
                    List<RoleAssignment> all = (await arm.ListAsync($"{scopeId}/providers/Microsoft.Authorization/roleAssignments?$filter={PrincipalFilter(principalId)}",
                        ArmApi.Authorization).ConfigureAwait(false)).Select(ArmModels.ToRoleAssignment).ToList();
                    RoleAssignment? twin = all.FirstOrDefault(r => r.RoleDefinitionId.EndsWith(ArmApi.MonitoringDataReaderRoleId, StringComparison.OrdinalIgnoreCase)
                        && string.Equals(r.Scope, scopeId.ToString(), StringComparison.OrdinalIgnoreCase));
                    host.WriteVerbose($"{ArmApi.MonitoringDataReaderRoleName} on '{scopeId.Name}' already exists for {principalId}{(twin is null ? string.Empty : $" as '{twin.Name}'")}.");
                    return twin ?? new RoleAssignment
                    {
                        Scope = scopeId.ToString(), RoleDefinitionId = roleDefinitionId, RoleName = ArmApi.MonitoringDataReaderRoleName, PrincipalId = principalId,
                    };
                }

                if (put.ErrorCode == "PrincipalNotFound" && clock.Elapsed + backoff < _options.PrincipalReplicationTimeout)
                {
                    host.WriteVerbose($"Entra has not replicated principal {principalId} yet; retrying the role assignment in {backoff.TotalSeconds:0} s.");
                    host.WriteProgress("Granting Monitoring Data Reader", $"Waiting for principal {principalId} to replicate ({clock.Elapsed.TotalSeconds:0} s)");
                    await _options.Delay(backoff, arm.Call.Cancellation).ConfigureAwait(false);
                    backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
                    continue;
                }

                host.WriteProgress("Granting Monitoring Data Reader", string.Empty, completed: true);
                throw ArmErrors.ToException(put, assignmentId, $"Assigning {ArmApi.MonitoringDataReaderRoleName} on '{scopeId.Name}'");
            }
        }

        private static string PrincipalFilter(string principalId) => Uri.EscapeDataString($"principalId eq '{principalId}'");
    }
}
