using System;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;

namespace KedaAks.Sandbox
{
    /// <summary>Requests straight to a sandbox's ARM (as az or the portal would make them), with a valid ARM token: for tests of either project.</summary>
    public static class SandboxArmRequests
    {
        /// <summary>An HttpClient that trusts the sandbox's CA (by its chain, not a bypass).</summary>
        public static HttpClient Client(SandboxServer server) =>
            new(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, c, _, _) => server.Certificates.Validate(c) });

        public static async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(SandboxServer server, HttpMethod method, string path, string? json = null,
            string apiVersion = "2024-11-30")
        {
            using HttpClient client = Client(server);
            using var request = new HttpRequestMessage(method, $"{server.Url}{path}{(path.Contains('?') ? "&" : "?")}api-version={apiVersion}");
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer",
                server.Tokens.Issue(server.Options.TenantId, "https://management.azure.com", "tester", "tester", TimeSpan.FromMinutes(5)));
            if (json is not null)
            {
                request.Content = new StringContent(json, Encoding.UTF8, "application/json");
            }

            using HttpResponseMessage response = await client.SendAsync(request).ConfigureAwait(false);
            string text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
        }

        public static string IdentityPath(SandboxServer server, string name) =>
            $"/subscriptions/{server.Options.SubscriptionId}/resourceGroups/{server.Options.ResourceGroup}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{name}";
    }
}
