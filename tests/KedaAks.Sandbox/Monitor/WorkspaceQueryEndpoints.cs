using System;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using KedaAks.Sandbox.Arm;
using KedaAks.Sandbox.Server;
using Microsoft.AspNetCore.Http;

namespace KedaAks.Sandbox.Monitor
{
    /// <summary>/workspaces/&lt;name&gt;/...: an Azure Monitor workspace's Prometheus query endpoint in front of a real Prometheus.</summary>
    public sealed class WorkspaceQueryEndpoints : IEndpointGroup
    {
        private readonly SandboxOptions _options;
        private readonly TokenService _tokens;
        private readonly ArmStandIn _arm;

        public WorkspaceQueryEndpoints(SandboxOptions options, TokenService tokens, ArmStandIn arm)
        {
            _options = options;
            _tokens = tokens;
            _arm = arm;
        }

        public string Name => "workspace-query";

        public bool Matches(string path) => path.StartsWith("/workspaces/", StringComparison.Ordinal);

        /// <summary>An injected fault in the query API's error shape.</summary>
        public JsonNode? FaultBody(int status, string code, string message) =>
            new JsonObject { ["status"] = "error", ["errorType"] = status == 429 ? "TooManyRequests" : "ServiceUnavailable", ["error"] = message };

        public async Task HandleAsync(HttpContext context, string path) => await MonitorQueryAsync(context, path).ConfigureAwait(false);

        /// <summary>
        /// An Azure Monitor workspace's Prometheus query endpoint: an Entra token for the Prometheus audience, whose
        /// principal holds Monitoring Data Reader at the workspace (or above) in the ARM stand-in, else 401/403 with
        /// the service's bodies; then the query goes to the real Prometheus behind it.
        /// </summary>
        private async Task<int> MonitorQueryAsync(HttpContext context, string path)
        {
            string[] parts = path.Trim('/').Split('/', 3);
            if (_options.PrometheusUpstream is null || parts.Length < 3 || !parts[1].Equals(_options.WorkspaceName, StringComparison.OrdinalIgnoreCase))
            {
                await SandboxHttp.WriteAsync(context, 404, new JsonObject { ["status"] = "error", ["errorType"] = "NotFound", ["error"] = "workspace not found" }).ConfigureAwait(false);
                return 404;
            }

            string? header = context.Request.Headers.Authorization;
            if (string.IsNullOrEmpty(header) || !header.StartsWith("Bearer ", StringComparison.Ordinal))
            {
                await SandboxHttp.WriteAsync(context, 401, new JsonObject { ["status"] = "error", ["errorType"] = "Unauthorized", ["error"] = "Request does not contain an Authorization "
                    + "Header" }).ConfigureAwait(false);
                return 401;
            }

            JsonObject? claims = _tokens.Validate(header.Substring("Bearer ".Length));
            string? audience = claims?["aud"]?.GetValue<string>();
            if (claims is null || audience?.TrimEnd('/') != "https://prometheus.monitor.azure.com")
            {
                await SandboxHttp.WriteAsync(context, 401, new JsonObject { ["status"] = "error", ["errorType"] = "Unauthorized", ["error"] = "Invalid token: the audience must be "
                    + "https://prometheus.monitor.azure.com" }).ConfigureAwait(false);
                return 401;
            }

            string principal = claims["oid"]!.GetValue<string>();
            DateTimeOffset? since = _arm.RoleSince(principal, _arm.WorkspaceId, "b0d8363b-8ddd-447d-831f-62ca05bff136");
            if (since is null || DateTimeOffset.UtcNow - since.Value < _options.RoleAssignmentDelay)
            {
                string appId = claims["appid"]?.GetValue<string>() ?? principal;
                await SandboxHttp.WriteAsync(context, 403, new JsonObject
                {
                    ["status"] = "error", ["errorType"] = "Forbidden",
                    ["error"] = $"The client '{appId}' with object id '{principal}' does not have authorization to perform action 'microsoft.monitor/accounts/data/metrics/read' over scope "
                        + $"'{_arm.WorkspaceId}' or the scope is invalid. If access was recently granted, please refresh your credentials.",
                }).ConfigureAwait(false);
                return 403;
            }

            using var upstream = new System.Net.Http.HttpClient();
            string target = $"{_options.PrometheusUpstream!.TrimEnd('/')}/{parts[2]}{context.Request.QueryString.Value}";
            using System.Net.Http.HttpResponseMessage response = await upstream.GetAsync(target).ConfigureAwait(false);
            context.Response.StatusCode = (int)response.StatusCode;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(await response.Content.ReadAsStringAsync().ConfigureAwait(false)).ConfigureAwait(false);
            return (int)response.StatusCode;
        }
    }
}
