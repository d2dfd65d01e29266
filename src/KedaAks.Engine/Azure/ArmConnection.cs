using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using global::Azure;
using global::Azure.Core;
using global::Azure.Core.Pipeline;
using global::Azure.Identity;
using global::Azure.ResourceManager;

namespace KedaAks.Engine.Azure
{
    /// <summary>An ARM response: status, parsed JSON body (null when empty) and headers.</summary>
    internal sealed record ArmResponse(int Status, JsonNode? Body, IReadOnlyDictionary<string, string> Headers)
    {
        public bool IsSuccess => Status is >= 200 and < 300;

        public string? Header(string name) => Headers.TryGetValue(name, out string? value) ? value : null;

        public string? ErrorCode => Body?["error"]?["code"]?.GetValue<string>();

        public string? ErrorMessage => Body?["error"]?["message"]?.GetValue<string>();
    }

    /// <summary>
    /// One signed-in route to ARM: Azure.ResourceManager's client options (retries with exponential
    /// back-off honouring Retry-After on 408/429/5xx) in an Azure.Core pipeline with bearer-token
    /// authentication, and our own small JSON models on top. Every api-version is pinned by the caller.
    /// </summary>
    internal sealed class ArmConnection
    {
        private readonly HttpPipeline _pipeline;
        private readonly IKedaAksHost _host;

        private ArmConnection(HttpPipeline pipeline, CloudEndpoints cloud, TokenSourceCandidate source, IKedaAksHost host)
        {
            _pipeline = pipeline;
            Cloud = cloud;
            Source = source;
            _host = host;
        }

        public CloudEndpoints Cloud { get; }

        public TokenSourceCandidate Source { get; }

        /// <summary>Resolves the token source, fetches the ARM token once (so a missing sign-in fails before any other call), and builds the pipeline.</summary>
        public static async Task<ArmConnection> OpenAsync(AzureSettings settings, IKedaAksHost host, EngineOptions options, CancellationToken cancellationToken)
        {
            CloudEndpoints cloud = CloudEndpoints.Resolve(settings);
            (TokenSourceCandidate source, _) = await TokenSources.AcquireAsync(settings, cloud.ArmScope, host, options, "AzureAuthenticationFailed", $"Azure Resource Manager ({cloud.ArmEndpoint})",
                "Sign in first: Connect-AzAccount (Az.Accounts), az login, or set AZURE_CLIENT_ID/AZURE_TENANT_ID with AZURE_CLIENT_SECRET or AZURE_FEDERATED_TOKEN_FILE; or run Connect-KedaAzure -TokenSource <source>.",
                cancellationToken).ConfigureAwait(false);
            return new ArmConnection(BuildPipeline(cloud, source.Credential, options), cloud, source, host);
        }

        private static HttpPipeline BuildPipeline(CloudEndpoints cloud, TokenCredential credential, EngineOptions options)
        {
            var clientOptions = new ArmClientOptions { Environment = new ArmEnvironment(cloud.ArmEndpoint, cloud.ArmScope.Substring(0, cloud.ArmScope.Length - ".default".Length)) };
            clientOptions.Retry.Mode = RetryMode.Exponential;
            clientOptions.Retry.MaxRetries = options.MaxRetries;
            clientOptions.Retry.Delay = options.RetryDelay;
            clientOptions.Retry.MaxDelay = TimeSpan.FromSeconds(60);
            clientOptions.Retry.NetworkTimeout = TimeSpan.FromSeconds(100);
            clientOptions.Diagnostics.IsLoggingEnabled = false;
            clientOptions.Diagnostics.IsDistributedTracingEnabled = false;
            clientOptions.Diagnostics.ApplicationId = "KedaAks";
            if (options.Transport is not null)
            {
                clientOptions.Transport = options.Transport;
            }

            return HttpPipelineBuilder.Build(clientOptions, new BearerTokenAuthenticationPolicy(credential, cloud.ArmScope));
        }

        /// <summary>Sends one request; <paramref name="pathOrUrl"/> is an ARM path ("/subscriptions/...") or an absolute URL (an operation to poll).</summary>
        public async Task<ArmResponse> SendAsync(RequestMethod method, string pathOrUrl, string? apiVersion, JsonNode? body, CancellationToken cancellationToken)
        {
            Uri uri = pathOrUrl.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? new Uri(pathOrUrl) : new Uri(Cloud.ArmEndpoint, pathOrUrl.TrimStart('/'));
            if (apiVersion is not null)
            {
                uri = new Uri(uri.AbsoluteUri + (uri.Query.Length > 0 ? "&" : "?") + "api-version=" + apiVersion);
            }

            using HttpMessage message = _pipeline.CreateMessage();
            message.Request.Method = method;
            message.Request.Uri.Reset(uri);
            message.Request.Headers.Add("Accept", "application/json");
            if (body is not null)
            {
                message.Request.Headers.Add("Content-Type", "application/json");
                message.Request.Content = RequestContent.Create(Encoding.UTF8.GetBytes(body.ToJsonString()));
            }

            await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
            Response response = message.Response;
            _host.WriteVerbose($"{method} {uri.GetLeftPart(UriPartial.Path)} -> {response.Status}");
            JsonNode? json = null;
            if (response.ContentStream is not null)
            {
                BinaryData content = BinaryData.FromStream(response.ContentStream);
                if (content.ToMemory().Length > 0)
                {
                    try
                    {
                        json = JsonNode.Parse(content.ToString());
                    }
                    catch (System.Text.Json.JsonException)
                    {
                        json = new JsonObject { ["error"] = new JsonObject { ["code"] = "InvalidResponse", ["message"] = FirstLine(content.ToString()) } };
                    }
                }
            }

            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (HttpHeader header in response.Headers)
            {
                headers[header.Name] = header.Value;
            }

            return new ArmResponse(response.Status, json, headers);
        }

        private static string FirstLine(string text) => text.Split('\n').FirstOrDefault()?.Trim() ?? string.Empty;
    }
}
