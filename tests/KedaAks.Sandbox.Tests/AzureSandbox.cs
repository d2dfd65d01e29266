using System;
using System.Net.Http;
using System.Threading.Tasks;

namespace KedaAks.Sandbox.Tests
{
    /// <summary>An in-process sandbox and raw HTTPS requests to it (as az or the portal would make them), trusting its CA.</summary>
    internal sealed class AzureSandbox : IAsyncDisposable
    {
        private AzureSandbox(SandboxServer server) => Server = server;

        public SandboxServer Server { get; }

        public static async Task<AzureSandbox> StartAsync(Action<SandboxOptions>? configure = null)
        {
            var options = new SandboxOptions { RetryAfterSeconds = 0 };
            configure?.Invoke(options);
            var server = new SandboxServer(options);
            await server.StartAsync();
            return new AzureSandbox(server);
        }

        public HttpClient Client() => SandboxArmRequests.Client(Server);

        /// <summary>A request straight to the sandbox (as az or the portal would make it), with a valid ARM token.</summary>
        public Task<(System.Net.HttpStatusCode Status, System.Text.Json.Nodes.JsonNode? Body)> SendRawAsync(HttpMethod method, string path, string? json = null,
            string apiVersion = "2024-11-30") => SandboxArmRequests.SendAsync(Server, method, path, json, apiVersion);

        public string IdentityPath(string name) => SandboxArmRequests.IdentityPath(Server, name);

        public ValueTask DisposeAsync() => Server.DisposeAsync();
    }
}
