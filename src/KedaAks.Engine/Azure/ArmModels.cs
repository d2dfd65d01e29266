using global::Azure.Core;

namespace KedaAks.Engine.Azure
{
    /// <summary>Maps ARM JSON onto the output types.</summary>
    internal static class ArmModels
    {
        public static AksCluster ToCluster(JsonNode json)
        {
            var id = new ResourceIdentifier(Str(json["id"]) ?? throw ArmErrors.Malformed("an AKS cluster without an id"));
            JsonNode? p = json["properties"];
            JsonNode? aad = p?["aadProfile"];
            return new AksCluster
            {
                Name = Str(json["name"]) ?? id.Name,
                ResourceGroupName = id.ResourceGroupName ?? string.Empty,
                SubscriptionId = id.SubscriptionId ?? string.Empty,
                ResourceId = id.ToString(),
                Location = Str(json["location"]),
                KubernetesVersion = Str(p?["currentKubernetesVersion"]) ?? Str(p?["kubernetesVersion"]),
                ProvisioningState = Str(p?["provisioningState"]),
                OidcIssuerEnabled = Bool(p?["oidcIssuerProfile"]?["enabled"]),
                OidcIssuerUrl = Str(p?["oidcIssuerProfile"]?["issuerURL"]),
                WorkloadIdentityEnabled = Bool(p?["securityProfile"]?["workloadIdentity"]?["enabled"]),
                KedaAddonEnabled = Bool(p?["workloadAutoScalerProfile"]?["keda"]?["enabled"]),
                AadEnabled = aad is not null && (Bool(aad["managed"]) || Str(aad["serverAppID"]) is not null),
                LocalAccountsDisabled = Bool(p?["disableLocalAccounts"]),
                Fqdn = Str(p?["fqdn"]) ?? Str(p?["privateFQDN"]),
                AadTenantId = Str(aad?["tenantID"]),
                Sku = Str(json["sku"]?["name"]),
            };
        }

        public static MonitorWorkspace ToWorkspace(JsonNode json) =>
            new(Str(json["name"]) ?? string.Empty, Str(json["id"]), Str(json["location"]), Str(json["properties"]?["metrics"]?["prometheusQueryEndpoint"]));

        public static RoleAssignment ToRoleAssignment(JsonNode json)
        {
            JsonNode? p = json["properties"];
            string roleDefinitionId = Str(p?["roleDefinitionId"]) ?? string.Empty;
            return new RoleAssignment
            {
                Id = Str(json["id"]) ?? string.Empty,
                Name = Str(json["name"]) ?? string.Empty,
                Scope = Str(p?["scope"]) ?? string.Empty,
                RoleDefinitionId = roleDefinitionId,
                RoleName = roleDefinitionId.EndsWith(ArmApi.MonitoringDataReaderRoleId, StringComparison.OrdinalIgnoreCase) ? ArmApi.MonitoringDataReaderRoleName : null,
                PrincipalId = Str(p?["principalId"]) ?? string.Empty,
                PrincipalType = Str(p?["principalType"]),
                Description = Str(p?["description"]),
            };
        }

        public static UserAssignedIdentity ToIdentity(JsonNode json)
        {
            JsonNode? p = json["properties"];
            string id = Str(json["id"]) ?? string.Empty;
            return new UserAssignedIdentity(id, Str(json["name"]) ?? id.Substring(id.LastIndexOf('/') + 1), Str(json["location"]),
                Str(p?["clientId"]), Str(p?["tenantId"]), Str(p?["principalId"]), Tags(json["tags"]));
        }

        public static IReadOnlyDictionary<string, string> Tags(JsonNode? tags) =>
            tags is JsonObject map ? map.Where(t => Str(t.Value) is not null).ToDictionary(t => t.Key, t => Str(t.Value)!, StringComparer.OrdinalIgnoreCase)
                : new Dictionary<string, string>();

        public static FederatedCredential ToFederatedCredential(JsonNode json)
        {
            JsonNode? p = json["properties"];
            var audiences = new System.Collections.Generic.List<string>();
            if (p?["audiences"] is JsonArray array)
            {
                foreach (JsonNode? audience in array)
                {
                    if (Str(audience) is { } text)
                    {
                        audiences.Add(text);
                    }
                }
            }

            return new FederatedCredential(Str(json["name"]) ?? string.Empty, Str(p?["issuer"]) ?? string.Empty, Str(p?["subject"]) ?? string.Empty, audiences);
        }

        public static string? Str(JsonNode? node) => node is JsonValue value && value.TryGetValue(out string? text) ? text : null;

        public static bool Bool(JsonNode? node) => node is JsonValue value && value.TryGetValue(out bool flag) && flag;
    }
}
