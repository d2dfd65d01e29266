using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace KedaAks.Sandbox.Arm.Providers
{
    /// <summary>Microsoft.Authorization: role assignments at any scope (principal replication, deterministic names, inherited listing).</summary>
    public sealed class AuthorizationProvider : IArmResourceProvider
    {
        private readonly ArmStandIn _arm;

        public AuthorizationProvider(ArmStandIn arm) => _arm = arm;

        public string Namespace => "Microsoft.Authorization";

        public IReadOnlyList<string> ApiVersions { get; } = new[] { "2022-04-01" };

        public (int, JsonNode?, Dictionary<string, string>?)? Subscription(ArmRequest request)
        {
            string[] segments = request.Segments;
            int authorization = Array.FindIndex(segments, s => s.Equals(Namespace, StringComparison.OrdinalIgnoreCase));
            if (authorization <= 0 || segments.Length <= authorization + 1 || !segments[authorization + 1].Equals("roleAssignments", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            string scope = "/" + string.Join('/', segments.Take(authorization - 1));
            return segments.Length == authorization + 2
                ? ListRoleAssignments(scope, request.Context.Request.Query["$filter"])
                : RoleAssignment(request.Method, scope, segments[authorization + 2], request.Body);
        }

        public Task<(int, JsonNode?, Dictionary<string, string>?)?> ResourceAsync(ArmRequest request, string resourceId) =>
            Task.FromResult<(int, JsonNode?, Dictionary<string, string>?)?>(null);

        private (int, JsonNode?, Dictionary<string, string>?) RoleAssignment(string method, string scope, string name, JsonNode? body)
        {
            string id = $"{scope}/providers/Microsoft.Authorization/roleAssignments/{name}";
            string key = ArmStandIn.Normalize(id);
            lock (_arm.Lock)
            {
                switch (method)
                {
                    case "GET":
                        return _arm.Resources.TryGetValue(key, out JsonObject? found) ? ArmStandIn.Ok(found.DeepClone())
                            : ArmStandIn.Error(404, "RoleAssignmentNotFound", $"The role assignment '{name}' is not found.");
                    case "DELETE":
                        return _arm.Resources.Remove(key, out JsonObject? removed) ? ArmStandIn.Ok(removed) : (204, null, null);
                    case "PUT":
                        if (!Guid.TryParse(name, out _))
                        {
                            return ArmStandIn.Error(400, "InvalidRoleAssignmentId", $"The role assignment ID '{name}' is not valid. The role assignment ID must be a GUID.");
                        }

                        string? role = body?["properties"]?["roleDefinitionId"]?.GetValue<string>();
                        string? principal = body?["properties"]?["principalId"]?.GetValue<string>();
                        string? principalType = body?["properties"]?["principalType"]?.GetValue<string>();
                        if (string.IsNullOrEmpty(role) || string.IsNullOrEmpty(principal))
                        {
                            return ArmStandIn.Error(400, "InvalidRoleAssignmentRequest", "roleDefinitionId and principalId are required.");
                        }

                        bool known = _arm.Principals.TryGetValue(principal, out DateTimeOffset createdAt);
                        if (!known || ((principalType is null || _arm.Options.StrictPrincipalReplication) && DateTimeOffset.UtcNow - createdAt < _arm.Options.PrincipalReplicationDelay))
                        {
                            return ArmStandIn.Error(400, "PrincipalNotFound",
                                $"Principal {principal.Replace("-", string.Empty)} does not exist in the directory {_arm.Options.TenantId}. Check that you have the correct principal ID. If you are "
                                    + $"creating this principal and then immediately assigning a role, this error might be related to a replication delay. In this case, set the role assignment "
                                        + $"principalType property to a value, such as ServicePrincipal, User, or Group.  See https://aka.ms/docs-principaltype");
                        }

                        string roleGuid = role.Split('/')[^1];
                        if (_arm.Resources.TryGetValue(key, out JsonObject? current))
                        {
                            JsonNode p = current["properties"]!;
                            bool same = p["principalId"]!.GetValue<string>().Equals(principal, StringComparison.OrdinalIgnoreCase)
                                && p["roleDefinitionId"]!.GetValue<string>().EndsWith(roleGuid, StringComparison.OrdinalIgnoreCase);
                            return same ? (201, current.DeepClone(), null)
                                : ArmStandIn.Error(400, "RoleAssignmentUpdateNotPermitted", "Tenant ID, application ID, principal ID, and scope are not allowed to be updated.");
                        }

                        if (_arm.Resources.Values.Any(r => r["type"]?.GetValue<string>() == "Microsoft.Authorization/roleAssignments"
                            && r["properties"]!["scope"]!.GetValue<string>().Equals(scope, StringComparison.OrdinalIgnoreCase)
                            && r["properties"]!["principalId"]!.GetValue<string>().Equals(principal, StringComparison.OrdinalIgnoreCase)
                            && r["properties"]!["roleDefinitionId"]!.GetValue<string>().EndsWith(roleGuid, StringComparison.OrdinalIgnoreCase)))
                        {
                            return ArmStandIn.Error(409, "RoleAssignmentExists", "The role assignment already exists.");
                        }

                        var assignment = new JsonObject
                        {
                            ["id"] = id,
                            ["name"] = name,
                            ["type"] = "Microsoft.Authorization/roleAssignments",
                            ["properties"] = new JsonObject
                            {
                                ["roleDefinitionId"] = role, ["principalId"] = principal, ["principalType"] = principalType ?? "User", ["scope"] = scope,
                                ["createdOn"] = DateTimeOffset.UtcNow.ToString("o"), ["updatedOn"] = DateTimeOffset.UtcNow.ToString("o"),
                            },
                        };
                        _arm.Resources[key] = assignment;
                        _arm.WrittenAt[key] = DateTimeOffset.UtcNow;
                        return (201, assignment.DeepClone(), null);
                    default:
                        return ArmStandIn.Error(405, "MethodNotAllowed", $"{method} is not supported here.");
                }
            }
        }

        private (int, JsonNode?, Dictionary<string, string>?) ListRoleAssignments(string scope, string? filter)
        {
            string? principal = filter is null ? null : Regex.Match(filter, "principalId eq '([^']+)'", RegexOptions.IgnoreCase) is { Success: true } m ? m.Groups[1].Value : null;
            lock (_arm.Lock)
            {
                IEnumerable<JsonObject> matches = _arm.Resources.Values.Where(r => r["type"]?.GetValue<string>() == "Microsoft.Authorization/roleAssignments")
                    .Where(r =>
                    {
                        string assignmentScope = r["properties"]!["scope"]!.GetValue<string>();
                        // Assignments at the scope, above it (inherited) and, for principal filters, below it.
                        bool related = assignmentScope.StartsWith(scope, StringComparison.OrdinalIgnoreCase) || scope.StartsWith(assignmentScope, StringComparison.OrdinalIgnoreCase);
                        return related && (principal is null || r["properties"]!["principalId"]!.GetValue<string>().Equals(principal, StringComparison.OrdinalIgnoreCase));
                    });
                return ArmStandIn.Ok(new JsonObject { ["value"] = new JsonArray(matches.Select(r => (JsonNode)r.DeepClone()).ToArray()) });
            }
        }
    }
}
