using global::Azure.Core;

namespace KedaAks.Engine.Azure
{
    /// <summary>User-assigned managed identities: read, find by client id, create when missing, delete.</summary>
    internal sealed class IdentityResources
    {
        /// <summary>
        /// The WorkloadIdentity that New-KedaWorkloadIdentity and the integration return: the identity as ARM has it (<paramref name="found"/>,
        /// null under -WhatIf before it exists, when the planned id and location stand in), federated for KEDA's service account on the cluster.
        /// </summary>
        public static WorkloadIdentity Describe(UserAssignedIdentity? found, string identityId, string name, string resourceGroup, string? location, AksCluster cluster,
            string credentialName, string? issuer, string audience, string serviceAccountNamespace, string serviceAccountName) => new()
        {
            IdentityName = name,
            IdentityResourceId = found?.Id is { Length: > 0 } id ? id : identityId,
            ResourceGroupName = resourceGroup,
            SubscriptionId = cluster.SubscriptionId,
            Location = found?.Location ?? location ?? cluster.Location,
            ClientId = found?.ClientId,
            TenantId = found?.TenantId,
            PrincipalId = found?.PrincipalId,
            FederatedCredentialName = credentialName,
            Issuer = issuer,
            Subject = $"system:serviceaccount:{serviceAccountNamespace}:{serviceAccountName}",
            Audience = audience,
            ServiceAccountNamespace = serviceAccountNamespace,
            ServiceAccountName = serviceAccountName,
            ClusterResourceId = cluster.ResourceId,
        };

        public async Task<UserAssignedIdentity?> GetAsync(ArmClient arm, string identityId)
        {
            JsonNode? found = await arm.GetOrNullAsync(identityId, ArmApi.ManagedIdentity, "the identity").ConfigureAwait(false);
            return found is null ? null : ArmModels.ToIdentity(found);
        }

        /// <summary>The user-assigned identity with this client id in the subscription, or null.</summary>
        public async Task<UserAssignedIdentity?> FindByClientIdAsync(ArmClient arm, string subscription, string clientId)
        {
            var all = await arm.ListAsync($"/subscriptions/{subscription}/providers/{ResourceIds.UserAssignedIdentity}", ArmApi.ManagedIdentity).ConfigureAwait(false);
            return all.Select(ArmModels.ToIdentity).FirstOrDefault(i => string.Equals(i.ClientId, clientId, StringComparison.OrdinalIgnoreCase));
        }

        /// <summary>
        /// The identity, created when missing (ShouldProcess first). Null only when it does not exist and -WhatIf said no,
        /// in which case Verbose says what would be made.
        /// </summary>
        public async Task<UserAssignedIdentity?> EnsureAsync(ArmClient arm, string identityId, string name, string resourceGroup, string? location)
        {
            IKedaAksHost host = arm.Call.Host;
            ArmResponse existing = await arm.SendAsync(RequestMethod.Get, identityId, ArmApi.ManagedIdentity).ConfigureAwait(false);
            if (existing.IsSuccess && existing.Body is not null)
            {
                host.WriteVerbose($"User-assigned identity '{name}' exists.");
                return ArmModels.ToIdentity(existing.Body);
            }

            if (existing.Status != 404)
            {
                throw ArmErrors.ToException(existing, identityId, $"Reading user-assigned identity '{name}'");
            }

            if (!host.ShouldProcess($"user-assigned identity '{name}' in resource group '{resourceGroup}'", "Create"))
            {
                host.WriteVerbose($"Would create user-assigned identity '{name}' in resource group '{resourceGroup}' ({location}).");
                return null;
            }

            string where = location ?? throw new KedaAksException("LocationRequired", KedaErrorCategory.InvalidArgument,
                "The identity needs a location and the cluster has none.", name, "Pass -Location.");
            ArmResponse created = await arm.SendAsync(RequestMethod.Put, identityId, ArmApi.ManagedIdentity, new JsonObject { ["location"] = where }).ConfigureAwait(false);
            if (!created.IsSuccess || created.Body is null)
            {
                throw ArmErrors.ToException(created, identityId, $"Creating user-assigned identity '{name}'");
            }

            return ArmModels.ToIdentity(created.Body);
        }

        /// <summary>
        /// Sets one tag of an identity (null removes it), keeping its location and every other tag: a PUT of both, as ARM replaces tags whole.
        /// </summary>
        public async Task SetTagAsync(ArmClient arm, UserAssignedIdentity identity, string key, string? value)
        {
            var tags = new JsonObject();
            foreach (KeyValuePair<string, string> tag in (identity.Tags ?? new Dictionary<string, string>()).Where(t => !t.Key.Equals(key, StringComparison.OrdinalIgnoreCase)))
            {
                tags[tag.Key] = tag.Value;
            }

            if (value is not null)
            {
                tags[key] = value;
            }

            ArmResponse put = await arm.SendAsync(RequestMethod.Put, identity.Id, ArmApi.ManagedIdentity, new JsonObject { ["location"] = identity.Location, ["tags"] = tags })
                .ConfigureAwait(false);
            if (!put.IsSuccess)
            {
                throw ArmErrors.ToException(put, identity.Id, $"Setting tag '{key}' on user-assigned identity '{identity.Name}'");
            }
        }

        public Task DeleteAsync(ArmClient arm, string identityId) => arm.DeleteAsync(identityId, ArmApi.ManagedIdentity, "user-assigned identity");
    }
}
