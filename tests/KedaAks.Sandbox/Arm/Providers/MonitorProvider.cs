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
    /// <summary>Microsoft.Monitor: Azure Monitor workspaces (accounts), read-only; the sandbox's one workspace is seeded.</summary>
    public sealed class MonitorProvider : IArmResourceProvider
    {
        private readonly ArmStandIn _arm;

        public MonitorProvider(ArmStandIn arm) => _arm = arm;

        public string Namespace => "Microsoft.Monitor";

        public IReadOnlyList<string> ApiVersions { get; } = new[] { "2023-04-03" };

        public (int, JsonNode?, Dictionary<string, string>?)? Subscription(ArmRequest request) =>
            request.Segments.Length == 5 && request.Segments[3].Equals(Namespace, StringComparison.OrdinalIgnoreCase)
                ? ArmStandIn.Ok(new JsonObject { ["value"] = new JsonArray(_arm.Snapshot("Microsoft.Monitor/accounts").Select(w => (JsonNode)w).ToArray()) })
                : null;

        public Task<(int, JsonNode?, Dictionary<string, string>?)?> ResourceAsync(ArmRequest request, string resourceId) =>
            Task.FromResult<(int, JsonNode?, Dictionary<string, string>?)?>(
                request.Segments[6].Equals("accounts", StringComparison.OrdinalIgnoreCase) && request.Method == "GET" ? _arm.Read(resourceId, "Microsoft.Monitor/accounts") : null);

        public void Seed()
        {
            _arm.Resources[ArmStandIn.Normalize(_arm.WorkspaceId)] = new JsonObject
            {
                ["id"] = _arm.WorkspaceId,
                ["name"] = _arm.Options.WorkspaceName,
                ["type"] = "Microsoft.Monitor/accounts",
                ["location"] = _arm.Options.Location,
                ["properties"] = new JsonObject
                {
                    ["accountId"] = "2df515bf-c3ce-4920-84d4-1d9d16542d9f",
                    ["metrics"] = new JsonObject
                    {
                        ["prometheusQueryEndpoint"] = $"https://{_arm.Options.WorkspaceName}-v8hx.{_arm.Options.Location}.prometheus.monitor.azure.com",
                        ["internalId"] = "mac_2df515bf-c3ce-4920-84d4-1d9d16542d9f",
                    },
                    ["provisioningState"] = "Succeeded",
                },
            };
        }
    }
}
