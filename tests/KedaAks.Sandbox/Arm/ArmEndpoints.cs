using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using KedaAks.Sandbox.Server;
using Microsoft.AspNetCore.Http;

namespace KedaAks.Sandbox.Arm
{
    /// <summary>Azure Resource Manager, the fallback group (every path no other group takes): ARM tokens, ARM error bodies, JSON request bodies; the anonymous cloud metadata.</summary>
    public sealed class ArmEndpoints : IEndpointGroup
    {
        private readonly ArmStandIn _arm;
        private readonly TokenService _tokens;
        private readonly SandboxOptions _options;
        private readonly Func<string> _url;

        public ArmEndpoints(ArmStandIn arm, TokenService tokens, SandboxOptions options, Func<string> url)
        {
            _arm = arm;
            _tokens = tokens;
            _options = options;
            _url = url;
        }

        public string Name => "arm";

        public bool Faultable => true;

        public bool Matches(string path) => true;

        public JsonNode? FaultBody(int status, string code, string message) => ArmStandIn.Error(status, code, message).Item2;

        public async Task<bool> AuthorizeAsync(HttpContext context)
        {
            if (context.Request.Path.Value == CloudMetadataDocument.Path && HttpMethods.IsGet(context.Request.Method))
            {
                return true;  // ARM's cloud metadata is anonymous.
            }

            string? header = context.Request.Headers.Authorization;
            string? problem = null;
            if (string.IsNullOrEmpty(header) || !header.StartsWith("Bearer ", StringComparison.Ordinal))
            {
                problem = "missing";
            }
            else
            {
                JsonObject? claims = _tokens.Validate(header.Substring("Bearer ".Length));
                string? audience = claims?["aud"]?.GetValue<string>()?.TrimEnd('/');
                // Tokens for this ARM endpoint (custom cloud) or for the public ARM audience.
                if (audience is null || !(audience == _url() || audience == "https://management.azure.com" || audience == "https://management.core.windows.net"))
                {
                    problem = "invalid";
                }
            }

            if (problem is null)
            {
                return true;
            }

            bool missing = problem == "missing";
            await SandboxHttp.WriteAsync(context, 401, ArmStandIn.Error(401, missing ? "AuthenticationFailed" : "InvalidAuthenticationToken",
                    missing ? "Authentication failed. The 'Authorization' header is missing." : "The access token is invalid.").Item2,
                new Dictionary<string, string> { ["WWW-Authenticate"] = $"Bearer authorization_uri=\"{_url()}/{_options.TenantId}\", error=\"invalid_token\"" }).ConfigureAwait(false);
            return false;
        }

        public async Task HandleAsync(HttpContext context, string path)
        {
            if (path == CloudMetadataDocument.Path && HttpMethods.IsGet(context.Request.Method))
            {
                await SandboxHttp.WriteAsync(context, 200, CloudMetadataDocument.For(_url())).ConfigureAwait(false);
                return;
            }

            JsonNode? body = null;
            if (context.Request.ContentLength > 0 || context.Request.Headers.ContentType.Count > 0)
            {
                using var reader = new StreamReader(context.Request.Body);
                string text = await reader.ReadToEndAsync().ConfigureAwait(false);
                try
                {
                    body = text.Length == 0 ? null : JsonNode.Parse(text);
                }
                catch (JsonException)
                {
                    await SandboxHttp.WriteAsync(context, 400, ArmStandIn.Error(400, "InvalidRequestContent", "The request content was invalid and could not be deserialized.").Item2)
                        .ConfigureAwait(false);
                    return;
                }
            }

            (int code, JsonNode? responseBody, Dictionary<string, string>? headers) = await _arm.HandleAsync(context, path, body).ConfigureAwait(false);
            await SandboxHttp.WriteAsync(context, code, responseBody, headers).ConfigureAwait(false);
        }
    }
}
