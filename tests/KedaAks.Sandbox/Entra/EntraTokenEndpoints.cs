using System;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using KedaAks.Sandbox.Arm;
using KedaAks.Sandbox.Kubernetes;
using KedaAks.Sandbox.Server;
using Microsoft.AspNetCore.Http;

namespace KedaAks.Sandbox.Entra
{
    /// <summary>
    /// Entra's v2 token endpoint (/&lt;tenant&gt;/oauth2/v2.0/token): the client-credentials grant for the sign-in app,
    /// and workload identity federation (a service-account token exchanged for a user-assigned identity's token).
    /// </summary>
    public sealed class EntraTokenEndpoints : IEndpointGroup
    {
        private readonly SandboxOptions _options;
        private readonly TokenService _tokens;
        private readonly ArmStandIn _arm;
        private readonly ServiceAccountTokens _serviceAccountTokens;
        private readonly Func<string> _url;

        public EntraTokenEndpoints(SandboxOptions options, TokenService tokens, ArmStandIn arm, ServiceAccountTokens serviceAccountTokens, Func<string> url)
        {
            _options = options;
            _tokens = tokens;
            _arm = arm;
            _serviceAccountTokens = serviceAccountTokens;
            _url = url;
        }

        public string Name => "entra";

        public RequestLogging Logging => RequestLogging.Path;

        /// <summary>Token requests take injected faults only when asked (--entra-faults): Azure.Identity retries them itself.</summary>
        public bool Faultable => _options.EntraFaults;

        /// <summary>Entra's shape for a throttled or failing token endpoint.</summary>
        public JsonNode? FaultBody(int status, string code, string message) =>
            EntraError("temporarily_unavailable", 90033, "AADSTS90033: A transient error has occurred. Please try again.");

        public bool Matches(string path) => path.EndsWith("/oauth2/v2.0/token", StringComparison.Ordinal);

        public async Task HandleAsync(HttpContext context, string path) => await TokenAsync(context, path).ConfigureAwait(false);

        /// <summary>Entra's v2 token endpoint for the client-credentials grant, with Entra's error body shapes.</summary>
        private async Task<int> TokenAsync(HttpContext context, string path)
        {
            string tenant = path.Trim('/').Split('/')[0];
            if (!context.Request.HasFormContentType)
            {
                await SandboxHttp.WriteAsync(context, 400, EntraError("invalid_request", 900144, "AADSTS900144: The request body must contain the following parameter: "
                    + "'grant_type'.")).ConfigureAwait(false);
                return 400;
            }

            IFormCollection form = await context.Request.ReadFormAsync().ConfigureAwait(false);
            string? clientId = form["client_id"];
            string? secret = form["client_secret"];
            string scope = form["scope"].ToString().Split(' ').FirstOrDefault(s => s.EndsWith("/.default", StringComparison.Ordinal)) ?? string.Empty;
            if (!tenant.Equals(_options.TenantId, StringComparison.OrdinalIgnoreCase))
            {
                await SandboxHttp.WriteAsync(context, 400, EntraError("invalid_tenant", 90002, $"AADSTS90002: Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are "
                    + $"signing into the correct cloud.")).ConfigureAwait(false);
                return 400;
            }

            if (form["grant_type"] == "client_credentials" && form.ContainsKey("client_assertion"))
            {
                return await AssertionGrantAsync(context, form, scope).ConfigureAwait(false);
            }

            if (form["grant_type"] != "client_credentials")
            {
                await SandboxHttp.WriteAsync(context, 400, EntraError("unsupported_grant_type", 70003, "AADSTS70003: The app requested an unsupported grant type.")).ConfigureAwait(false);
                return 400;
            }

            if (clientId != _options.ClientId)
            {
                await SandboxHttp.WriteAsync(context, 400, EntraError("unauthorized_client", 700016, $"AADSTS700016: Application with identifier '{clientId}' was not found in the directory "
                    + $"'{_options.TenantId}'.")).ConfigureAwait(false);
                return 400;
            }

            if (secret != _options.ClientSecret)
            {
                await SandboxHttp.WriteAsync(context, 401, EntraError("invalid_client", 7000215, "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the "
                    + "client secret value, not the client secret ID.")).ConfigureAwait(false);
                return 401;
            }

            string audience = scope.Length > 0 ? scope.Substring(0, scope.Length - "/.default".Length) : _url();
            string token = _tokens.Issue(_options.TenantId, audience, _arm.ClientPrincipalId, clientId!, TimeSpan.FromHours(1));
            await SandboxHttp.WriteAsync(context, 200, new JsonObject { ["token_type"] = "Bearer", ["expires_in"] = 3599, ["ext_expires_in"] = 3599, ["access_token"] = token }).ConfigureAwait(false);
            return 200;
        }

        /// <summary>
        /// Entra's workload identity federation: a service-account token from the sandbox cluster exchanged for a
        /// token of the user-assigned identity whose federated credential matches issuer, subject and audience
        /// exactly (and has propagated), with Entra's error bodies otherwise.
        /// </summary>
        private async Task<int> AssertionGrantAsync(HttpContext context, IFormCollection form, string scope)
        {
            string clientId = form["client_id"].ToString();
            JsonObject? identity = _arm.IdentityByClientId(clientId);
            if (identity is null)
            {
                await SandboxHttp.WriteAsync(context, 400, EntraError("unauthorized_client", 700016, $"AADSTS700016: Application with identifier '{clientId}' was not found in the directory "
                    + $"'{_options.TenantId}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have "
                        + $"sent your authentication request to the wrong tenant.")).ConfigureAwait(false);
                return 400;
            }

            if (form["client_assertion_type"] != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
            {
                await SandboxHttp.WriteAsync(context, 400, EntraError("invalid_request", 50027, "AADSTS50027: JWT token is invalid or malformed.")).ConfigureAwait(false);
                return 400;
            }

            JsonObject? claims = _serviceAccountTokens.Verify(form["client_assertion"].ToString());
            if (claims is null)
            {
                await SandboxHttp.WriteAsync(context, 401, EntraError("invalid_client", 5002727, "AADSTS5002727: Invalid JWT token. The token signature could not be validated against the issuer's "
                    + "keys.")).ConfigureAwait(false);
                return 401;
            }

            long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            long exp = claims["exp"]!.GetValue<long>();
            long nbf = claims["nbf"]?.GetValue<long>() ?? 0;
            if (now >= exp || now < nbf - 300)
            {
                await SandboxHttp.WriteAsync(context, 400, EntraError("invalid_client", 700024, $"AADSTS700024: Client assertion is not within its valid time range. Current time: "
                    + $"{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ss.fffffffZ}, assertion valid from {DateTimeOffset.FromUnixTimeSeconds(nbf):yyyy-MM-ddTHH:mm:ss.fffffffZ}, expiry time of assertion "
                        + $"{DateTimeOffset.FromUnixTimeSeconds(exp):yyyy-MM-ddTHH:mm:ss.fffffffZ}. Review the documentation at "
                            + $"https://learn.microsoft.com/entra/identity-platform/certificate-credentials .")).ConfigureAwait(false);
                return 400;
            }

            string issuer = claims["iss"]!.GetValue<string>();
            string subject = claims["sub"]!.GetValue<string>();
            string[] audiences = claims["aud"] is JsonArray list ? list.Select(a => a!.GetValue<string>()).ToArray() : new[] { claims["aud"]!.GetValue<string>() };
            bool matched = CredentialMatches(identity, issuer, subject, audiences);
            if (!matched)
            {
                await SandboxHttp.WriteAsync(context, 400, EntraError("invalid_request", 70021,
                    $"AADSTS70021: No matching federated identity record found for presented assertion. Assertion Issuer: '{issuer}'. Assertion Subject: '{subject}'. Assertion Audience: "
                        + $"'{string.Join(",", audiences)}'. https://learn.microsoft.com/entra/workload-id/workload-identity-federation")).ConfigureAwait(false);
                return 400;
            }

            string audience = scope.Length > 0 ? scope.Substring(0, scope.Length - "/.default".Length) : "https://management.azure.com";
            string token = _tokens.Issue(_options.TenantId, audience, identity["properties"]!["principalId"]!.GetValue<string>(), clientId, TimeSpan.FromHours(1));
            await SandboxHttp.WriteAsync(context, 200, new JsonObject { ["token_type"] = "Bearer", ["expires_in"] = 3599, ["ext_expires_in"] = 3599, ["access_token"] = token }).ConfigureAwait(false);
            return 200;
        }

        /// <summary>A federated credential of the identity with exactly this issuer and subject, one of these audiences, and propagated.</summary>
        private bool CredentialMatches(JsonObject identity, string issuer, string subject, string[] audiences) =>
            _arm.Credentials(identity["id"]!.GetValue<string>()).Any(c =>
                c.Credential["properties"]!["issuer"]!.GetValue<string>() == issuer
                && c.Credential["properties"]!["subject"]!.GetValue<string>() == subject
                && c.Credential["properties"]!["audiences"]!.AsArray().Any(a => audiences.Contains(a!.GetValue<string>()))
                && DateTimeOffset.UtcNow - c.WrittenAt >= _options.CredentialPropagationDelay);

        /// <summary>The same exchange as the token endpoint, in process (for the operator simulation): a token, or Entra's error text.</summary>
        public (string? Token, string? Error) Exchange(string clientId, string assertion, string scope)
        {
            JsonObject? identity = _arm.IdentityByClientId(clientId);
            if (identity is null)
            {
                return (null, $"AADSTS700016: Application with identifier '{clientId}' was not found in the directory '{_options.TenantId}'.");
            }

            JsonObject claims = _serviceAccountTokens.Verify(assertion)!;
            string issuer = claims["iss"]!.GetValue<string>();
            string subject = claims["sub"]!.GetValue<string>();
            string[] audiences = claims["aud"] is JsonArray list ? list.Select(a => a!.GetValue<string>()).ToArray() : new[] { claims["aud"]!.GetValue<string>() };
            bool matched = CredentialMatches(identity, issuer, subject, audiences);
            if (!matched)
            {
                return (null, $"AADSTS70021: No matching federated identity record found for presented assertion. Assertion Issuer: '{issuer}'. Assertion Subject: '{subject}'. Assertion Audience: "
                    + $"'{string.Join(",", audiences)}'. https://learn.microsoft.com/entra/workload-id/workload-identity-federation");
            }

            string audience = scope.Substring(0, scope.Length - "/.default".Length);
            return (_tokens.Issue(_options.TenantId, audience, identity["properties"]!["principalId"]!.GetValue<string>(), clientId, TimeSpan.FromHours(1)), null);
        }

        private static JsonObject EntraError(string error, int code, string description) => new()
        {
            ["error"] = error,
            ["error_description"] = $"{description}\r\nTrace ID: {Guid.NewGuid()}\r\nCorrelation ID: {Guid.NewGuid()}\r\nTimestamp: {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ssZ}",
            ["error_codes"] = new JsonArray(code),
            ["timestamp"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm:ssZ"),
            ["trace_id"] = Guid.NewGuid().ToString(),
            ["correlation_id"] = Guid.NewGuid().ToString(),
        };
    }
}
