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

        /// <summary>The Prometheus APIs an Azure Monitor workspace answers (its docs: "Supported APIs"); label values only for __name__.</summary>
        private static readonly System.Collections.Generic.HashSet<string> Served = new(StringComparer.Ordinal)
        {
            "api/v1/query", "api/v1/query_range", "api/v1/series", "api/v1/labels", "api/v1/label/__name__/values",
        };

        /// <summary>query_range covers at most 32 days.</summary>
        private static readonly TimeSpan MaxRange = TimeSpan.FromDays(32);

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

            if (!Served.Contains(parts[2]))
            {
                await SandboxHttp.WriteAsync(context, 404, new JsonObject { ["status"] = "error", ["errorType"] = "NotFound", ["error"] = $"the API /{parts[2]} is not supported: "
                    + "an Azure Monitor workspace serves query, query_range, series, labels and label/__name__/values" }).ConfigureAwait(false);
                return 404;
            }

            if (parts[2] == "api/v1/query_range" && Span(context.Request.Query["start"], context.Request.Query["end"]) is { } span && span > MaxRange)
            {
                await SandboxHttp.WriteAsync(context, 400, new JsonObject { ["status"] = "error", ["errorType"] = "bad_data", ["error"] = $"the query time range {span.TotalDays:0.#} days "
                    + "exceeds the maximum of 32 days" }).ConfigureAwait(false);
                return 400;
            }

            using var upstream = new System.Net.Http.HttpClient();
            string target = $"{_options.PrometheusUpstream!.TrimEnd('/')}/{parts[2]}{context.Request.QueryString.Value}";
            using System.Net.Http.HttpResponseMessage response = await upstream.GetAsync(target).ConfigureAwait(false);
            context.Response.StatusCode = (int)response.StatusCode;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(await response.Content.ReadAsStringAsync().ConfigureAwait(false)).ConfigureAwait(false);
            return (int)response.StatusCode;
        }

        /// <summary>end - start of a query_range (RFC 3339 or Unix seconds); null when either is missing or unreadable (Prometheus answers that).</summary>
        private static TimeSpan? Span(string? start, string? end) => Time(start) is { } from && Time(end) is { } to ? to - from : null;

        private static DateTimeOffset? Time(string? text) =>
            double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double seconds)
                ? DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000))
                : DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out DateTimeOffset parsed)
                    ? parsed : null;
    }
}
