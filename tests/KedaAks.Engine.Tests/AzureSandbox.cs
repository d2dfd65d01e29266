using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading.Tasks;
using global::Azure.Core.Pipeline;
using KedaAks.Engine.Azure;
using KedaAks.Sandbox;

namespace KedaAks.Engine.Tests
{
    /// <summary>An in-process sandbox and an engine wired to it: the engine trusts the sandbox's CA through a chain policy, not a bypass.</summary>
    internal sealed class AzureSandbox : IAsyncDisposable
    {
        private AzureSandbox(SandboxServer server, AzureService service, FakeEnvironment environment, EngineOptions options)
        {
            Options = options;
            Server = server;
            Service = service;
            Environment = environment;
        }

        public SandboxServer Server { get; }

        public AzureService Service { get; }

        public FakeEnvironment Environment { get; }

        public EngineOptions Options { get; }

        public static async Task<AzureSandbox> StartAsync(Action<SandboxOptions>? configure = null, Func<EngineOptions, EngineOptions>? engine = null)
        {
            var options = new SandboxOptions { RetryAfterSeconds = 0 };
            configure?.Invoke(options);
            var server = new SandboxServer(options);
            await server.StartAsync();
            var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, certificate, _, _) => server.Certificates.Validate(certificate) };
            var environment = new FakeEnvironment
            {
                ["AZURE_CLIENT_ID"] = options.ClientId,
                ["AZURE_CLIENT_SECRET"] = options.ClientSecret,
                ["AZURE_TENANT_ID"] = options.TenantId,
            };
            var engineOptions = new EngineOptions
            {
                Transport = new HttpClientTransport(handler),
                Environment = environment,
                MaxRetries = 8,
                RetryDelay = TimeSpan.FromMilliseconds(20),
                ConflictBackoff = TimeSpan.FromMilliseconds(50),
                PrincipalReplicationTimeout = TimeSpan.FromSeconds(20),
                DefaultPollInterval = TimeSpan.FromMilliseconds(20),
                KubernetesRetryDelay = TimeSpan.FromMilliseconds(10),
                EntraRetryDelay = TimeSpan.FromMilliseconds(20),
            };
            engineOptions = engine?.Invoke(engineOptions) ?? engineOptions;
            return new AzureSandbox(server, new AzureService(engineOptions), environment, engineOptions);
        }

        public AzureSettings Settings(TokenSource source = TokenSource.Environment) => new()
        {
            Cloud = AzureCloudName.Custom,
            ArmEndpoint = new Uri(Server.Url + "/"),
            AuthorityHost = new Uri(Server.Url + "/"),
            SubscriptionId = Server.Options.SubscriptionId,
            TokenSource = source,
        };

        /// <summary>A request straight to the sandbox (as az or the portal would make it), with a valid ARM token.</summary>
        public Task<(System.Net.HttpStatusCode Status, System.Text.Json.Nodes.JsonNode? Body)> SendRawAsync(HttpMethod method, string path, string? json = null,
            string apiVersion = "2024-11-30") => SandboxArmRequests.SendAsync(Server, method, path, json, apiVersion);

        public string IdentityPath(string name) => SandboxArmRequests.IdentityPath(Server, name);

        public ValueTask DisposeAsync() => Server.DisposeAsync();
    }

    internal sealed class FakeEnvironment : Dictionary<string, string>, IEnvironmentReader
    {
        public HashSet<string> Commands { get; } = new();

        public string? Get(string name) => TryGetValue(name, out string? value) ? value : null;

        public bool CommandExists(string name) => Commands.Contains(name);
    }
}
