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

        public HttpClient Client() => new(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, c, _, _) => Server.Certificates.Validate(c) });

        /// <summary>A request with a valid ARM token.</summary>
        public async Task<(System.Net.HttpStatusCode Status, System.Text.Json.Nodes.JsonNode? Body)> SendRawAsync(HttpMethod method, string path, string? json = null, string apiVersion = "2024-11-30")
        {
            using HttpClient client = Client();
            using var request = new HttpRequestMessage(method, $"{Server.Url}{path}{(path.Contains('?') ? "&" : "?")}api-version={apiVersion}");
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer",
                Server.Tokens.Issue(Server.Options.TenantId, "https://management.azure.com", "tester", "tester", TimeSpan.FromMinutes(5)));
            if (json is not null)
            {
                request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
            }

            using HttpResponseMessage response = await client.SendAsync(request);
            string text = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, text.Length == 0 ? null : System.Text.Json.Nodes.JsonNode.Parse(text));
        }

        public string IdentityPath(string name) =>
            $"/subscriptions/{Server.Options.SubscriptionId}/resourceGroups/{Server.Options.ResourceGroup}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{name}";

        public ValueTask DisposeAsync() => Server.DisposeAsync();
    }
}
