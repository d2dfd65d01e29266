using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using KedaAks.Sandbox.Arm;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KedaAks.Sandbox
{
    /// <summary>One request as the sandbox saw it (no bodies, no headers: nothing secret is kept).</summary>
    public sealed record SandboxRequest(DateTimeOffset Time, string Method, string Path, int Status, bool Faulted, DateTimeOffset Start = default);

    /// <summary>
    /// The sandbox: one loopback HTTPS server hosting the Entra token endpoint and the ARM stand-in, with
    /// fault injection (a seeded share of 429/500/503 answers, latency) and a request log to count writes.
    /// </summary>
    public sealed class SandboxServer : IAsyncDisposable
    {
        private readonly SandboxCertificates _certificates;
        private readonly ConcurrentQueue<SandboxRequest> _requests = new();
        private readonly object _faultLock = new();
        private WebApplication? _app;
        private Random _random;

        public SandboxServer(SandboxOptions? options = null, SandboxCertificates? certificates = null)
        {
            Options = options ?? new SandboxOptions();
            _certificates = certificates ?? SandboxCertificates.InMemory();
            _random = new Random(Options.Seed);
            Tokens = new TokenService();
            Arm = new ArmStandIn(Options, () => Url);
            Kubernetes = new Kubernetes.KubernetesStandIn("v" + Options.KubernetesVersion) { EntraOnly = Options.LocalAccountsDisabled };
            if (Options.CrdDirectory is not null)
            {
                Kubernetes.LoadCustomResourceDefinitions(Options.CrdDirectory);
            }

            ServiceAccountTokens = new global::KedaAks.Sandbox.Kubernetes.ServiceAccountTokens(() => Arm.OidcIssuerEnabled ? Arm.IssuerUrl : global::KedaAks.Sandbox.Kubernetes.ServiceAccountTokens.InClusterIssuer);
            Kubernetes.ServiceAccountTokens = ServiceAccountTokens;
            Kubernetes.WorkloadIdentityEnabled = () => Arm.WorkloadIdentityEnabled;
            Kubernetes.TenantId = Options.TenantId;
            var simulator = new KedaOperatorSimulator(this);
            Kubernetes.OperatorCycle = simulator.Cycle;
            Arm.KubeconfigProvider = admin => Kubeconfig(admin ? KubeconfigUser.Admin : Options.AadEnabled ? KubeconfigUser.Kubelogin : KubeconfigUser.Token);
        }

        public Kubernetes.KubernetesStandIn Kubernetes { get; }

        public Kubernetes.ServiceAccountTokens ServiceAccountTokens { get; }

        public enum KubeconfigUser
        {
            Token,
            Admin,
            Kubelogin,
        }

        /// <summary>A kubeconfig for the Kubernetes stand-in, shaped like AKS's: the CA inline, and a token, or kubelogin (exec) for Entra users.</summary>
        public string Kubeconfig(KubeconfigUser user = KubeconfigUser.Token)
        {
            string ca = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(_certificates.Authority.ExportCertificatePem()));
            string cluster = Options.ClusterName;
            string userName = user == KubeconfigUser.Admin ? $"clusterAdmin_{Options.ResourceGroup}_{cluster}" : $"clusterUser_{Options.ResourceGroup}_{cluster}";
            string serverId = global::KedaAks.Sandbox.Kubernetes.KubernetesStandIn.AksServerApplication;
            string credentials = user == KubeconfigUser.Kubelogin
                ? $"    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: kubelogin\n      args:\n      - get-token\n      - --environment\n      - AzurePublicCloud\n      - --server-id\n      - {serverId}\n      - --client-id\n      - 80faf920-1908-4b52-b5ef-a8e7bedfc67a\n      - --tenant-id\n      - {Options.TenantId}\n      - --login\n      - devicecode\n      interactiveMode: IfNeeded\n      provideClusterInfo: false\n"
                : $"    token: {Kubernetes.Token}\n";
            return "apiVersion: v1\nkind: Config\npreferences: {}\n"
                + $"clusters:\n- cluster:\n    certificate-authority-data: {ca}\n    server: {Url}\n  name: {cluster}\n"
                + $"contexts:\n- context:\n    cluster: {cluster}\n    user: {userName}\n  name: {cluster}\n"
                + $"current-context: {cluster}\n"
                + $"users:\n- name: {userName}\n  user:\n{credentials}";
        }

        public SandboxOptions Options { get; }

        public TokenService Tokens { get; }

        public ArmStandIn Arm { get; }

        public SandboxCertificates Certificates => _certificates;

        public string Url { get; private set; } = string.Empty;

        public IReadOnlyList<SandboxRequest> Requests => _requests.ToArray();

        /// <summary>Requests that changed ARM state (faulted and failed ones excluded).</summary>
        public int WriteCount => _requests.Count(r => !r.Faulted && r.Status < 400 && !r.Path.Contains("/oauth2/", StringComparison.Ordinal) && ArmStandIn.IsWrite(r.Method, r.Path));

        public void ClearLog() => _requests.Clear();

        public void SetFaults(double rate, int seed, int latencyMilliseconds = 0)
        {
            lock (_faultLock)
            {
                Options.FaultRate = rate;
                Options.LatencyMilliseconds = latencyMilliseconds;
                _random = new Random(seed);
            }
        }

        public async Task StartAsync(int port = 0)
        {
            WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                kestrel.Listen(IPAddress.Loopback, port, listen => listen.UseHttps(_certificates.IssueServerCertificate()));
            });
            _app = builder.Build();
            _app.Run(HandleAsync);
            await _app.StartAsync().ConfigureAwait(false);
            string address = _app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            Url = address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
            if (Options.PrometheusUpstream is not null)
            {
                Arm.SetQueryEndpoint($"{Url}/workspaces/{Options.WorkspaceName}");
            }
        }

        public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => HostingAbstractionsHostExtensions.WaitForShutdownAsync(_app!, cancellationToken);

        public async ValueTask DisposeAsync()
        {
            if (_app is not null)
            {
                await _app.StopAsync().ConfigureAwait(false);
                await _app.DisposeAsync().ConfigureAwait(false);
            }
        }

        /// <summary>What a client needs: endpoints, tenant, subscription and the sign-in app's credentials.</summary>
        public JsonObject Describe() => new()
        {
            ["kubernetesVersion"] = Kubernetes.GitVersion,
            ["url"] = Url,
            ["armEndpoint"] = Url + "/",
            ["authorityHost"] = Url + "/",
            ["tenantId"] = Options.TenantId,
            ["subscriptionId"] = Options.SubscriptionId,
            ["resourceGroup"] = Options.ResourceGroup,
            ["clusterName"] = Options.ClusterName,
            ["clusterId"] = Arm.ClusterId,
            ["workspaceName"] = Options.WorkspaceName,
            ["workspaceId"] = Arm.WorkspaceId,
            ["clientId"] = Options.ClientId,
            ["clientSecret"] = Options.ClientSecret,
            ["caPath"] = _certificates.AuthorityPemPath,
        };

        private async Task HandleAsync(HttpContext context)
        {
            DateTimeOffset start = DateTimeOffset.UtcNow;
            string path = context.Request.Path.Value ?? "/";
            string logged = path + context.Request.QueryString.Value;
            if (path.StartsWith("/_sandbox/", StringComparison.Ordinal))
            {
                await ControlAsync(context, path).ConfigureAwait(false);
                return;
            }

            if (path.StartsWith("/charts/", StringComparison.Ordinal) && Options.ChartRepository is { } charts)
            {
                // A Helm chart repository (what https://kedacore.github.io/charts serves): static files, GET only.
                string name = path["/charts/".Length..];
                string file = System.IO.Path.Combine(charts, name);
                bool found = HttpMethods.IsGet(context.Request.Method) && name.Length > 0 && !name.Contains("..", StringComparison.Ordinal) && !name.Contains('/') && System.IO.File.Exists(file);
                context.Response.StatusCode = found ? 200 : 404;
                if (found)
                {
                    context.Response.ContentType = name.EndsWith(".yaml", StringComparison.Ordinal) ? "text/yaml" : "application/gzip";
                    await context.Response.SendFileAsync(file).ConfigureAwait(false);
                }

                _requests.Enqueue(new SandboxRequest(DateTimeOffset.UtcNow, context.Request.Method, logged, context.Response.StatusCode, false, start));
                return;
            }

            if (path.StartsWith("/workspaces/", StringComparison.Ordinal))
            {
                int queryStatus = await MonitorQueryAsync(context, path).ConfigureAwait(false);
                _requests.Enqueue(new SandboxRequest(DateTimeOffset.UtcNow, context.Request.Method, logged, queryStatus, false, start));
                return;
            }

            if (path.EndsWith("/oauth2/v2.0/token", StringComparison.Ordinal))
            {
                int tokenStatus = await TokenAsync(context, path).ConfigureAwait(false);
                _requests.Enqueue(new SandboxRequest(DateTimeOffset.UtcNow, context.Request.Method, path, tokenStatus, false, start));
                return;
            }

            bool kubernetes = global::KedaAks.Sandbox.Kubernetes.KubernetesStandIn.Handles(path);
            (int faultStatus, int latency) = NextFault();
            if (latency > 0)
            {
                await Task.Delay(latency).ConfigureAwait(false);
            }

            if (faultStatus != 0)
            {
                if (faultStatus == 429)
                {
                    context.Response.Headers.RetryAfter = Options.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                (string code, string message) = faultStatus switch
                {
                    429 => ("TooManyRequests", "The request is being throttled as the limit has been reached for operation type. For more information, see https://aka.ms/armthrottling"),
                    500 => ("InternalServerError", "Encountered internal server error. Diagnostic information: timestamp '" + DateTimeOffset.UtcNow.ToString("yyyyMMddTHHmmssZ") + "'."),
                    _ => ("ServiceUnavailable", "The service is currently unavailable. Please try again later."),
                };
                JsonNode? faultBody = kubernetes
                    ? global::KedaAks.Sandbox.Kubernetes.KubernetesStandIn.Status(faultStatus, faultStatus == 429 ? "TooManyRequests" : faultStatus == 500 ? "InternalError" : "ServiceUnavailable", faultStatus == 429 ? "the server has received too many requests and has asked us to try again later" : message).Item2
                    : ArmStandIn.Error(faultStatus, code, message).Item2;
                await WriteAsync(context, faultStatus, faultBody, null).ConfigureAwait(false);
                _requests.Enqueue(new SandboxRequest(DateTimeOffset.UtcNow, context.Request.Method, logged, faultStatus, true, start));
                return;
            }

            int status;
            if (kubernetes)
            {
                if (!Kubernetes.Authorized(context.Request.Headers.Authorization, Tokens))
                {
                    status = 401;
                    await WriteAsync(context, 401, global::KedaAks.Sandbox.Kubernetes.KubernetesStandIn.Status(401, "Unauthorized", "Unauthorized").Item2, null).ConfigureAwait(false);
                }
                else if (global::KedaAks.Sandbox.Kubernetes.KubernetesStandIn.IsWatch(context))
                {
                    await Kubernetes.WatchAsync(context, path).ConfigureAwait(false);
                    status = context.Response.StatusCode;
                }
                else
                {
                    (int code, JsonNode? answer) = (500, null);
                    try
                    {
                        (code, answer) = await Kubernetes.HandleAsync(context, path).ConfigureAwait(false);
                        if (answer is JsonValue plain && plain.TryGetValue(out string? text))
                        {
                            // Pod logs are text, not JSON.
                            status = code;
                            context.Response.StatusCode = code;
                            context.Response.ContentType = "text/plain";
                            await context.Response.WriteAsync(text).ConfigureAwait(false);
                            _requests.Enqueue(new SandboxRequest(DateTimeOffset.UtcNow, context.Request.Method, logged, status, false, start));
                            return;
                        }
                    }
                    catch (Exception exception) when (exception is not OperationCanceledException)
                    {
                        // A bug in the stand-in, not a simulated fault: say so loudly.
                        (code, answer) = global::KedaAks.Sandbox.Kubernetes.KubernetesStandIn.Status(500, "InternalError", "sandbox stand-in failure: " + exception);
                    }

                    status = code;
                    await WriteAsync(context, code, answer, null).ConfigureAwait(false);
                }
            }
            else if (!Authorized(context, out string? problem))
            {
                status = 401;
                await WriteAsync(context, 401, ArmStandIn.Error(401, problem == "missing" ? "AuthenticationFailed" : "InvalidAuthenticationToken",
                    problem == "missing" ? "Authentication failed. The 'Authorization' header is missing." : "The access token is invalid.").Item2,
                    new Dictionary<string, string> { ["WWW-Authenticate"] = $"Bearer authorization_uri=\"{Url}/{Options.TenantId}\", error=\"invalid_token\"" }).ConfigureAwait(false);
            }
            else
            {
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
                        await WriteAsync(context, 400, ArmStandIn.Error(400, "InvalidRequestContent", "The request content was invalid and could not be deserialized.").Item2, null).ConfigureAwait(false);
                        _requests.Enqueue(new SandboxRequest(DateTimeOffset.UtcNow, context.Request.Method, logged, 400, false, start));
                        return;
                    }
                }

                (int code, JsonNode? responseBody, Dictionary<string, string>? headers) = await Arm.HandleAsync(context, path, body).ConfigureAwait(false);
                status = code;
                await WriteAsync(context, code, responseBody, headers).ConfigureAwait(false);
            }

            _requests.Enqueue(new SandboxRequest(DateTimeOffset.UtcNow, context.Request.Method, logged, status, false, start));
        }

        private (int Status, int Latency) NextFault()
        {
            lock (_faultLock)
            {
                if (Options.FaultRate <= 0 || _random.NextDouble() >= Options.FaultRate)
                {
                    return (0, Options.LatencyMilliseconds);
                }

                int[] statuses = { 429, 500, 503 };
                return (statuses[_random.Next(statuses.Length)], Options.LatencyMilliseconds);
            }
        }

        private bool Authorized(HttpContext context, out string? problem)
        {
            string? header = context.Request.Headers.Authorization;
            if (string.IsNullOrEmpty(header) || !header.StartsWith("Bearer ", StringComparison.Ordinal))
            {
                problem = "missing";
                return false;
            }

            JsonObject? claims = Tokens.Validate(header.Substring("Bearer ".Length));
            string? audience = claims?["aud"]?.GetValue<string>();
            // Tokens for this ARM endpoint (custom cloud) or for the public ARM audience.
            problem = claims is null || audience is null || !(audience.TrimEnd('/') == Url || audience.TrimEnd('/') == "https://management.azure.com" || audience.TrimEnd('/') == "https://management.core.windows.net") ? "invalid" : null;
            return problem is null;
        }

        /// <summary>Entra's v2 token endpoint for the client-credentials grant, with Entra's error body shapes.</summary>
        private async Task<int> TokenAsync(HttpContext context, string path)
        {
            string tenant = path.Trim('/').Split('/')[0];
            if (!context.Request.HasFormContentType)
            {
                await WriteAsync(context, 400, EntraError("invalid_request", 900144, "AADSTS900144: The request body must contain the following parameter: 'grant_type'."), null).ConfigureAwait(false);
                return 400;
            }

            IFormCollection form = await context.Request.ReadFormAsync().ConfigureAwait(false);
            string? clientId = form["client_id"];
            string? secret = form["client_secret"];
            string scope = form["scope"].ToString().Split(' ').FirstOrDefault(s => s.EndsWith("/.default", StringComparison.Ordinal)) ?? string.Empty;
            if (!tenant.Equals(Options.TenantId, StringComparison.OrdinalIgnoreCase))
            {
                await WriteAsync(context, 400, EntraError("invalid_tenant", 90002, $"AADSTS90002: Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud."), null).ConfigureAwait(false);
                return 400;
            }

            if (form["grant_type"] == "client_credentials" && form.ContainsKey("client_assertion"))
            {
                return await AssertionGrantAsync(context, form, scope).ConfigureAwait(false);
            }

            if (form["grant_type"] != "client_credentials")
            {
                await WriteAsync(context, 400, EntraError("unsupported_grant_type", 70003, "AADSTS70003: The app requested an unsupported grant type."), null).ConfigureAwait(false);
                return 400;
            }

            if (clientId != Options.ClientId)
            {
                await WriteAsync(context, 400, EntraError("unauthorized_client", 700016, $"AADSTS700016: Application with identifier '{clientId}' was not found in the directory '{Options.TenantId}'."), null).ConfigureAwait(false);
                return 400;
            }

            if (secret != Options.ClientSecret)
            {
                await WriteAsync(context, 401, EntraError("invalid_client", 7000215, "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID."), null).ConfigureAwait(false);
                return 401;
            }

            string audience = scope.Length > 0 ? scope.Substring(0, scope.Length - "/.default".Length) : Url;
            string token = Tokens.Issue(Options.TenantId, audience, Arm.ClientPrincipalId, clientId!, TimeSpan.FromHours(1));
            await WriteAsync(context, 200, new JsonObject { ["token_type"] = "Bearer", ["expires_in"] = 3599, ["ext_expires_in"] = 3599, ["access_token"] = token }, null).ConfigureAwait(false);
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
            JsonObject? identity = Arm.IdentityByClientId(clientId);
            if (identity is null)
            {
                await WriteAsync(context, 400, EntraError("unauthorized_client", 700016, $"AADSTS700016: Application with identifier '{clientId}' was not found in the directory '{Options.TenantId}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant."), null).ConfigureAwait(false);
                return 400;
            }

            if (form["client_assertion_type"] != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
            {
                await WriteAsync(context, 400, EntraError("invalid_request", 50027, "AADSTS50027: JWT token is invalid or malformed."), null).ConfigureAwait(false);
                return 400;
            }

            JsonObject? claims = ServiceAccountTokens.Verify(form["client_assertion"].ToString());
            if (claims is null)
            {
                await WriteAsync(context, 401, EntraError("invalid_client", 5002727, "AADSTS5002727: Invalid JWT token. The token signature could not be validated against the issuer's keys."), null).ConfigureAwait(false);
                return 401;
            }

            long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            long exp = claims["exp"]!.GetValue<long>();
            long nbf = claims["nbf"]?.GetValue<long>() ?? 0;
            if (now >= exp || now < nbf - 300)
            {
                await WriteAsync(context, 400, EntraError("invalid_client", 700024, $"AADSTS700024: Client assertion is not within its valid time range. Current time: {DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ss.fffffffZ}, assertion valid from {DateTimeOffset.FromUnixTimeSeconds(nbf):yyyy-MM-ddTHH:mm:ss.fffffffZ}, expiry time of assertion {DateTimeOffset.FromUnixTimeSeconds(exp):yyyy-MM-ddTHH:mm:ss.fffffffZ}. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials ."), null).ConfigureAwait(false);
                return 400;
            }

            string issuer = claims["iss"]!.GetValue<string>();
            string subject = claims["sub"]!.GetValue<string>();
            string[] audiences = claims["aud"] is JsonArray list ? list.Select(a => a!.GetValue<string>()).ToArray() : new[] { claims["aud"]!.GetValue<string>() };
            bool matched = CredentialMatches(identity, issuer, subject, audiences);
            if (!matched)
            {
                await WriteAsync(context, 400, EntraError("invalid_request", 70021,
                    $"AADSTS70021: No matching federated identity record found for presented assertion. Assertion Issuer: '{issuer}'. Assertion Subject: '{subject}'. Assertion Audience: '{string.Join(",", audiences)}'. https://learn.microsoft.com/entra/workload-id/workload-identity-federation"), null).ConfigureAwait(false);
                return 400;
            }

            string audience = scope.Length > 0 ? scope.Substring(0, scope.Length - "/.default".Length) : "https://management.azure.com";
            string token = Tokens.Issue(Options.TenantId, audience, identity["properties"]!["principalId"]!.GetValue<string>(), clientId, TimeSpan.FromHours(1));
            await WriteAsync(context, 200, new JsonObject { ["token_type"] = "Bearer", ["expires_in"] = 3599, ["ext_expires_in"] = 3599, ["access_token"] = token }, null).ConfigureAwait(false);
            return 200;
        }

        /// <summary>
        /// An Azure Monitor workspace's Prometheus query endpoint: an Entra token for the Prometheus audience, whose
        /// principal holds Monitoring Data Reader at the workspace (or above) in the ARM stand-in, else 401/403 with
        /// the service's bodies; then the query goes to the real Prometheus behind it.
        /// </summary>
        private async Task<int> MonitorQueryAsync(HttpContext context, string path)
        {
            string[] parts = path.Trim('/').Split('/', 3);
            if (Options.PrometheusUpstream is null || parts.Length < 3 || !parts[1].Equals(Options.WorkspaceName, StringComparison.OrdinalIgnoreCase))
            {
                await WriteAsync(context, 404, new JsonObject { ["status"] = "error", ["errorType"] = "NotFound", ["error"] = "workspace not found" }, null).ConfigureAwait(false);
                return 404;
            }

            string? header = context.Request.Headers.Authorization;
            if (string.IsNullOrEmpty(header) || !header.StartsWith("Bearer ", StringComparison.Ordinal))
            {
                await WriteAsync(context, 401, new JsonObject { ["status"] = "error", ["errorType"] = "Unauthorized", ["error"] = "Request does not contain an Authorization Header" }, null).ConfigureAwait(false);
                return 401;
            }

            JsonObject? claims = Tokens.Validate(header.Substring("Bearer ".Length));
            string? audience = claims?["aud"]?.GetValue<string>();
            if (claims is null || audience?.TrimEnd('/') != "https://prometheus.monitor.azure.com")
            {
                await WriteAsync(context, 401, new JsonObject { ["status"] = "error", ["errorType"] = "Unauthorized", ["error"] = "Invalid token: the audience must be https://prometheus.monitor.azure.com" }, null).ConfigureAwait(false);
                return 401;
            }

            string principal = claims["oid"]!.GetValue<string>();
            DateTimeOffset? since = Arm.RoleSince(principal, Arm.WorkspaceId, "b0d8363b-8ddd-447d-831f-62ca05bff136");
            if (since is null || DateTimeOffset.UtcNow - since.Value < Options.RoleAssignmentDelay)
            {
                string appId = claims["appid"]?.GetValue<string>() ?? principal;
                await WriteAsync(context, 403, new JsonObject
                {
                    ["status"] = "error", ["errorType"] = "Forbidden",
                    ["error"] = $"The client '{appId}' with object id '{principal}' does not have authorization to perform action 'microsoft.monitor/accounts/data/metrics/read' over scope '{Arm.WorkspaceId}' or the scope is invalid. If access was recently granted, please refresh your credentials.",
                }, null).ConfigureAwait(false);
                return 403;
            }

            using var upstream = new System.Net.Http.HttpClient();
            using System.Net.Http.HttpResponseMessage response = await upstream.GetAsync($"{Options.PrometheusUpstream!.TrimEnd('/')}/{parts[2]}{context.Request.QueryString.Value}").ConfigureAwait(false);
            context.Response.StatusCode = (int)response.StatusCode;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(await response.Content.ReadAsStringAsync().ConfigureAwait(false)).ConfigureAwait(false);
            return (int)response.StatusCode;
        }

        /// <summary>A federated credential of the identity with exactly this issuer and subject, one of these audiences, and propagated.</summary>
        private bool CredentialMatches(JsonObject identity, string issuer, string subject, string[] audiences) =>
            Arm.Credentials(identity["id"]!.GetValue<string>()).Any(c =>
                c.Credential["properties"]!["issuer"]!.GetValue<string>() == issuer
                && c.Credential["properties"]!["subject"]!.GetValue<string>() == subject
                && c.Credential["properties"]!["audiences"]!.AsArray().Any(a => audiences.Contains(a!.GetValue<string>()))
                && DateTimeOffset.UtcNow - c.WrittenAt >= Options.CredentialPropagationDelay);

        /// <summary>The same exchange as the token endpoint, in process (for the operator simulation): a token, or Entra's error text.</summary>
        internal (string? Token, string? Error) Exchange(string clientId, string assertion, string scope)
        {
            JsonObject? identity = Arm.IdentityByClientId(clientId);
            if (identity is null)
            {
                return (null, $"AADSTS700016: Application with identifier '{clientId}' was not found in the directory '{Options.TenantId}'.");
            }

            JsonObject claims = ServiceAccountTokens.Verify(assertion)!;
            string issuer = claims["iss"]!.GetValue<string>();
            string subject = claims["sub"]!.GetValue<string>();
            string[] audiences = claims["aud"] is JsonArray list ? list.Select(a => a!.GetValue<string>()).ToArray() : new[] { claims["aud"]!.GetValue<string>() };
            bool matched = CredentialMatches(identity, issuer, subject, audiences);
            if (!matched)
            {
                return (null, $"AADSTS70021: No matching federated identity record found for presented assertion. Assertion Issuer: '{issuer}'. Assertion Subject: '{subject}'. Assertion Audience: '{string.Join(",", audiences)}'. https://learn.microsoft.com/entra/workload-id/workload-identity-federation");
            }

            string audience = scope.Substring(0, scope.Length - "/.default".Length);
            return (Tokens.Issue(Options.TenantId, audience, identity["properties"]!["principalId"]!.GetValue<string>(), clientId, TimeSpan.FromHours(1)), null);
        }

        private JsonObject EntraError(string error, int code, string description) => new()
        {
            ["error"] = error,
            ["error_description"] = $"{description}\r\nTrace ID: {Guid.NewGuid()}\r\nCorrelation ID: {Guid.NewGuid()}\r\nTimestamp: {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ssZ}",
            ["error_codes"] = new JsonArray(code),
            ["timestamp"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm:ssZ"),
            ["trace_id"] = Guid.NewGuid().ToString(),
            ["correlation_id"] = Guid.NewGuid().ToString(),
        };

        private async Task ControlAsync(HttpContext context, string path)
        {
            switch (path)
            {
                case "/_sandbox/stats":
                    await WriteAsync(context, 200, new JsonObject
                    {
                        ["requests"] = _requests.Count(r => !r.Path.Contains("/oauth2/", StringComparison.Ordinal)),
                        ["writes"] = WriteCount,
                        ["faults"] = _requests.Count(r => r.Faulted),
                    }, null).ConfigureAwait(false);
                    break;
                case "/_sandbox/requests":
                    await WriteAsync(context, 200, JsonSerializer.SerializeToNode(Requests), null).ConfigureAwait(false);
                    break;
                case "/_sandbox/resources":
                    string? type = context.Request.Query["type"];
                    await WriteAsync(context, 200, new JsonArray(Arm.Snapshot(type).Select(r => (JsonNode)r).ToArray()), null).ConfigureAwait(false);
                    break;
                case "/_sandbox/pod-log":
                    string podNamespace = context.Request.Query["namespace"].FirstOrDefault() ?? "keda";
                    string pod = context.Request.Query["pod"].FirstOrDefault() ?? "keda-operator-0";
                    using (var reader = new StreamReader(context.Request.Body))
                    {
                        string body = await reader.ReadToEndAsync().ConfigureAwait(false);
                        Kubernetes.AddPodLog(podNamespace, pod, new Dictionary<string, string> { ["app"] = "keda-operator", ["app.kubernetes.io/name"] = "keda-operator" },
                            body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => (DateTimeOffset.UtcNow, l.TrimEnd('\r'))));
                    }

                    await WriteAsync(context, 200, new JsonObject(), null).ConfigureAwait(false);
                    break;
                case "/_sandbox/clear-log":
                    ClearLog();
                    await WriteAsync(context, 200, new JsonObject(), null).ConfigureAwait(false);
                    break;
                case "/_sandbox/faults":
                    double rate = double.Parse(context.Request.Query["rate"].FirstOrDefault() ?? "0", System.Globalization.CultureInfo.InvariantCulture);
                    int seed = int.Parse(context.Request.Query["seed"].FirstOrDefault() ?? "1", System.Globalization.CultureInfo.InvariantCulture);
                    int latency = int.Parse(context.Request.Query["latency"].FirstOrDefault() ?? "0", System.Globalization.CultureInfo.InvariantCulture);
                    SetFaults(rate, seed, latency);
                    await WriteAsync(context, 200, new JsonObject { ["rate"] = rate, ["seed"] = seed }, null).ConfigureAwait(false);
                    break;
                default:
                    await WriteAsync(context, 404, new JsonObject { ["error"] = "unknown control endpoint" }, null).ConfigureAwait(false);
                    break;
            }
        }

        /// <summary>Quotes as \" (as Go's encoder writes them), not \u0022.</summary>
        private static readonly JsonSerializerOptions JsonWriteOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        private static async Task WriteAsync(HttpContext context, int status, JsonNode? body, Dictionary<string, string>? headers)
        {
            context.Response.StatusCode = status;
            foreach (KeyValuePair<string, string> header in headers ?? new Dictionary<string, string>())
            {
                context.Response.Headers[header.Key] = header.Value;
            }

            if (body is not null)
            {
                context.Response.ContentType = "application/json; charset=utf-8";
                await context.Response.WriteAsync(body.ToJsonString(JsonWriteOptions)).ConfigureAwait(false);
            }
        }
    }
}
