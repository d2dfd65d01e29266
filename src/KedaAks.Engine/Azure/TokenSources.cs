using System.Runtime.InteropServices;
using global::Azure.Core;
using global::Azure.Core.Pipeline;
using global::Azure.Identity;

namespace KedaAks.Engine.Azure
{
    /// <summary>Reads the process environment; replaceable in tests.</summary>
    internal interface IEnvironmentReader
    {
        string? Get(string name);

        bool CommandExists(string name);
    }

    internal sealed class ProcessEnvironment : IEnvironmentReader
    {
        public static readonly ProcessEnvironment Instance = new();

        public string? Get(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;

        public bool CommandExists(string name)
        {
            string[] extensions = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? new[] { ".cmd", ".exe", ".bat", string.Empty } : new[] { string.Empty };
            return (Get("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Any(dir => extensions.Any(ext => File.Exists(Path.Combine(dir, name + ext))));
        }
    }

    /// <summary>One candidate credential and the words used for it in verbose output and errors.</summary>
    internal sealed record TokenSourceCandidate(TokenSource Source, string Description, TokenCredential Credential);

    /// <summary>
    /// Turns <see cref="AzureSettings.TokenSource"/> into credentials. <see cref="TokenSource.Auto"/> follows the
    /// style guide: the Az.Accounts context of the caller's runspace, then Environment, WorkloadIdentity,
    /// ManagedIdentity when the platform advertises it (Automation's IDENTITY_ENDPOINT, MSI_ENDPOINT; no IMDS
    /// probe), then the Azure CLI. Interactive sign-in only when asked (DeviceCode).
    /// </summary>
    internal static class TokenSources
    {
        /// <summary>The Auto order for what this process offers; pure, so tests can drive it.</summary>
        public static IReadOnlyList<TokenSource> AutoOrder(bool hasAzContext, IEnvironmentReader env)
        {
            var order = new List<TokenSource>();
            if (hasAzContext)
            {
                order.Add(TokenSource.AzContext);
            }

            bool clientAndTenant = env.Get("AZURE_CLIENT_ID") is not null && env.Get("AZURE_TENANT_ID") is not null;
            if (clientAndTenant && (env.Get("AZURE_CLIENT_SECRET") is not null || env.Get("AZURE_CLIENT_CERTIFICATE_PATH") is not null))
            {
                order.Add(TokenSource.Environment);
            }

            if (clientAndTenant && env.Get("AZURE_FEDERATED_TOKEN_FILE") is not null)
            {
                order.Add(TokenSource.WorkloadIdentity);
            }

            if (env.Get("IDENTITY_ENDPOINT") is not null || env.Get("MSI_ENDPOINT") is not null)
            {
                order.Add(TokenSource.ManagedIdentity);
            }

            if (env.CommandExists("az"))
            {
                order.Add(TokenSource.AzureCli);
            }

            return order;
        }

        public static IReadOnlyList<TokenSourceCandidate> Candidates(AzureSettings settings, CloudEndpoints cloud, IKedaAksHost host, EngineOptions options)
        {
            AzureSettingsRules.Validate(settings);
            IEnvironmentReader env = options.Environment;
            IEnumerable<TokenSource> sources = settings.AccessToken is not null && settings.TokenSource is TokenSource.Auto or TokenSource.AccessToken
                ? new[] { TokenSource.AccessToken }
                : settings.TokenSource == TokenSource.Auto ? AutoOrder(host.GetAzContext() is not null, env) : new[] { settings.TokenSource };
            return sources.Select(source => source is TokenSource.AccessToken or TokenSource.AzContext
                ? Create(source, settings, cloud, host, options)
                : options.CredentialCache.GetOrAdd(CacheKey(source, settings, cloud, env), _ => Cache(Create(source, settings, cloud, host, options)))).ToList();
        }

        /// <summary>
        /// The first token source that gives a token for <paramref name="scope"/>, in the order of <see cref="Candidates"/>;
        /// when none does, a KedaAksException naming every source tried and why (Entra's AADSTS line when there is one).
        /// </summary>
        public static async Task<(TokenSourceCandidate Source, AccessToken Token)> AcquireAsync(AzureSettings settings, string scope, IKedaAksHost host, EngineOptions options,
            string errorId, string what, string fix, CancellationToken cancellationToken)
        {
            CloudEndpoints cloud = CloudEndpoints.Resolve(settings);
            var failures = new List<SignInFailure>();
            foreach (TokenSourceCandidate candidate in Candidates(settings, cloud, host, options))
            {
                try
                {
                    AccessToken token;
                    using (EntraAttemptLog.Use(host))
                    {
                        token = await candidate.Credential.GetTokenAsync(new TokenRequestContext(new[] { scope }), cancellationToken).ConfigureAwait(false);
                    }

                    host.WriteVerbose($"{what}: token source {candidate.Description}.");
                    return (candidate, token);
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    SignInFailure failure = SignInFailures.Classify(candidate, exception);
                    failures.Add(failure);
                    host.WriteVerbose($"{what}: token source {candidate.Source} gave no token: {failure.Cause}");
                    host.WriteDebug($"{what}: {candidate.Description} failed with {exception}");
                }
            }

            throw SignInFailures.ToException(failures, what, settings.TokenSource, errorId, fix);
        }

        /// <summary>
        /// Credentials that do not depend on the caller's runspace are kept (per process, in
        /// <see cref="EngineOptions.CredentialCache"/>), keyed by everything that selects the identity (the
        /// secret only as a hash), so later commands reuse their tokens.
        /// </summary>
        private static TokenSourceCandidate Cache(TokenSourceCandidate candidate) => candidate with { Credential = new CachingCredential(candidate.Credential) };

        private static string CacheKey(TokenSource source, AzureSettings settings, CloudEndpoints cloud, IEnvironmentReader env)
        {
            string secret = env.Get("AZURE_CLIENT_SECRET") ?? string.Empty;
            string secretHash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret)));
            return string.Join("|", source, cloud.AuthorityHost, settings.TenantId ?? env.Get("AZURE_TENANT_ID"), env.Get("AZURE_CLIENT_ID"), settings.ManagedIdentityClientId,
                env.Get("AZURE_CLIENT_CERTIFICATE_PATH"), env.Get("AZURE_FEDERATED_TOKEN_FILE"), secretHash);
        }

        private static TokenSourceCandidate Create(TokenSource source, AzureSettings settings, CloudEndpoints cloud, IKedaAksHost host, EngineOptions options)
        {
            IEnvironmentReader env = options.Environment;
            // Outside the public cloud MSAL must not ask login.microsoftonline.com about a custom authority.
            bool custom = cloud.Name == AzureCloudName.Custom;
            string? tenant = settings.TenantId ?? env.Get("AZURE_TENANT_ID");
            switch (source)
            {
                case TokenSource.AccessToken:
                    if (settings.AccessToken is null)
                    {
                        throw new KedaAksException("NoAccessToken", KedaErrorCategory.InvalidArgument, "-TokenSource AccessToken needs a token.", null,
                            "Pass -AccessToken (a SecureString) to Connect-KedaAzure.");
                    }

                    return new(source, "AccessToken (given by the caller)", new StaticTokenCredential(settings.AccessToken));
                case TokenSource.AzContext:
                    return new(source, "AzContext (Az.Accounts in this runspace)", new AzContextCredential(host, settings.TenantId));
                case TokenSource.Environment:
                    string clientId = Require(env, "AZURE_CLIENT_ID", source);
                    string envTenant = tenant ?? Require(env, "AZURE_TENANT_ID", source);
                    if (env.Get("AZURE_CLIENT_SECRET") is { } secret)
                    {
                        return new(source, "Environment (client secret)", new ClientSecretCredential(envTenant, clientId, secret,
                            With(new ClientSecretCredentialOptions { AuthorityHost = cloud.AuthorityHost, DisableInstanceDiscovery = custom }, options)));
                    }

                    string certificate = Require(env, "AZURE_CLIENT_CERTIFICATE_PATH", source);
                    return new(source, "Environment (client certificate)", new ClientCertificateCredential(envTenant, clientId, certificate,
                        With(new ClientCertificateCredentialOptions { AuthorityHost = cloud.AuthorityHost, DisableInstanceDiscovery = custom }, options)));
                case TokenSource.WorkloadIdentity:
                    return new(source, "WorkloadIdentity (federated token file)", new WorkloadIdentityCredential(With(new WorkloadIdentityCredentialOptions
                    {
                        AuthorityHost = cloud.AuthorityHost,
                        ClientId = Require(env, "AZURE_CLIENT_ID", source),
                        TenantId = tenant ?? Require(env, "AZURE_TENANT_ID", source),
                        TokenFilePath = Require(env, "AZURE_FEDERATED_TOKEN_FILE", source),
                        DisableInstanceDiscovery = custom,
                    }, options)));
                case TokenSource.ManagedIdentity:
                    string? miClient = settings.ManagedIdentityClientId ?? env.Get("AZURE_CLIENT_ID");
                    return new(source, miClient is null ? "ManagedIdentity (system-assigned)" : $"ManagedIdentity (client id {miClient})",
                        new ManagedIdentityCredential(miClient is null ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.FromUserAssignedClientId(miClient)));
                case TokenSource.AzureCli:
                    return new(source, "AzureCli (az account get-access-token)", new AzureCliCredential(new AzureCliCredentialOptions { TenantId = settings.TenantId }));
                case TokenSource.DeviceCode:
                    return new(source, "DeviceCode (interactive)", new DeviceCodeCredential(new DeviceCodeCredentialOptions
                    {
                        AuthorityHost = cloud.AuthorityHost,
                        TenantId = tenant,
                        DisableInstanceDiscovery = custom,
                        DeviceCodeCallback = (info, _) =>
                        {
                            host.WriteWarning(info.Message);
                            return Task.CompletedTask;
                        },
                    }));
                default:
                    throw new ArgumentOutOfRangeException(nameof(source));
            }
        }

        /// <summary>Credentials talk to the authority through the same transport as ARM calls.</summary>
        private static T With<T>(T credentialOptions, EngineOptions options)
            where T : global::Azure.Core.ClientOptions
        {
            if (options.Transport is not null)
            {
                credentialOptions.Transport = options.Transport;
            }

            credentialOptions.Retry.MaxRetries = options.EntraMaxRetries;
            credentialOptions.Retry.NetworkTimeout = options.NetworkTimeout;
            credentialOptions.Retry.Delay = options.EntraRetryDelay;
            credentialOptions.AddPolicy(new EntraAttemptLog(options.EntraMaxRetries), HttpPipelinePosition.PerRetry);
            return credentialOptions;
        }

        private static string Require(IEnvironmentReader env, string name, TokenSource source) =>
            env.Get(name) ?? throw new KedaAksException("TokenSourceNotConfigured", KedaErrorCategory.AuthenticationError,
                $"Token source {source} needs the environment variable {name}, which is not set.", name,
                $"Set {name}, or choose another -TokenSource (Auto tries every configured source).");
    }

    /// <summary>Keeps each scope's token until five minutes before it expires (Azure.Identity asks the authority again otherwise).</summary>
    internal sealed class CachingCredential : TokenCredential
    {
        private readonly TokenCredential _inner;
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, AccessToken> _tokens = new(StringComparer.Ordinal);

        public CachingCredential(TokenCredential inner) => _inner = inner;

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();

        public override async ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            string key = string.Join(" ", requestContext.Scopes) + "|" + requestContext.TenantId;
            if (_tokens.TryGetValue(key, out AccessToken cached) && cached.ExpiresOn > DateTimeOffset.UtcNow.AddMinutes(5))
            {
                return cached;
            }

            AccessToken token = await _inner.GetTokenAsync(requestContext, cancellationToken).ConfigureAwait(false);
            _tokens[key] = token;
            return token;
        }
    }

    /// <summary>A token the caller already has. The SecureString is read only when a request needs it.</summary>
    internal sealed class StaticTokenCredential : TokenCredential
    {
        private readonly System.Security.SecureString _token;

        public StaticTokenCredential(System.Security.SecureString token) => _token = token;

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            IntPtr pointer = Marshal.SecureStringToGlobalAllocUnicode(_token);
            try
            {
                string token = Marshal.PtrToStringUni(pointer) ?? string.Empty;
                return new AccessToken(token, JwtExpiry(token) ?? DateTimeOffset.UtcNow.AddMinutes(30));
            }
            finally
            {
                Marshal.ZeroFreeGlobalAllocUnicode(pointer);
            }
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new(GetToken(requestContext, cancellationToken));

        /// <summary>The <c>exp</c> claim of a JWT, if the token is one.</summary>
        internal static DateTimeOffset? JwtExpiry(string token)
        {
            string[] parts = token.Split('.');
            if (parts.Length != 3)
            {
                return null;
            }

            try
            {
                string payload = parts[1].Replace('-', '+').Replace('_', '/');
                payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
                using var document = System.Text.Json.JsonDocument.Parse(Convert.FromBase64String(payload));
                return document.RootElement.TryGetProperty("exp", out var exp) && exp.TryGetInt64(out long seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
            }
            catch (FormatException)
            {
                return null;
            }
            catch (System.Text.Json.JsonException)
            {
                return null;
            }
        }
    }

    /// <summary>Tokens from <c>Get-AzAccessToken</c> in the caller's runspace (Azure DevOps AzurePowerShell tasks, runbooks after Connect-AzAccount -Identity).</summary>
    internal sealed class AzContextCredential : TokenCredential
    {
        private readonly IKedaAksHost _host;
        private readonly string? _tenantId;
        private readonly Dictionary<string, AccessToken> _cache = new(StringComparer.OrdinalIgnoreCase);

        public AzContextCredential(IKedaAksHost host, string? tenantId)
        {
            _host = host;
            _tenantId = tenantId;
        }

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            string scope = requestContext.Scopes.FirstOrDefault() ?? throw new ArgumentException("No scope.", nameof(requestContext));
            string resource = scope.EndsWith("/.default", StringComparison.Ordinal) ? scope.Substring(0, scope.Length - "/.default".Length) : scope;
            lock (_cache)
            {
                if (_cache.TryGetValue(resource, out AccessToken cached) && cached.ExpiresOn > DateTimeOffset.UtcNow.AddMinutes(2))
                {
                    return cached;
                }
            }

            HostAccessToken token = _host.GetAzAccessToken(resource, _tenantId)
                ?? throw new CredentialUnavailableException("Az.Accounts has no signed-in context in this runspace (Get-AzContext returned nothing).");
            var result = new AccessToken(token.Token, token.ExpiresOn);
            lock (_cache)
            {
                _cache[resource] = result;
            }

            return result;
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new(GetToken(requestContext, cancellationToken));
    }
}
