using System.Diagnostics;
using global::Azure;
using global::Azure.Core;
using global::Azure.Core.Pipeline;
using global::Azure.ResourceManager;

namespace KedaAks.Engine.Azure
{
    /// <summary>
    /// One signed-in route to ARM for one call: Azure.ResourceManager's client options (retries with exponential
    /// back-off honouring Retry-After on 408/429/5xx) in an Azure.Core pipeline with bearer-token authentication,
    /// and the few verbs the resource units need: send, get, list (following nextLink), delete, and the wait for a
    /// long-running operation. Every api-version is pinned by the caller (<see cref="ArmApi"/>).
    /// </summary>
    internal sealed class ArmClient(HttpPipeline pipeline, CloudEndpoints cloud, TokenSourceCandidate source, EngineOptions options, CallContext call)
    {
        public CloudEndpoints Cloud { get; } = cloud;

        public TokenSourceCandidate Source { get; } = source;

        public CallContext Call { get; } = call;

        /// <summary>Resolves the token source, fetches the ARM token once (so a missing sign-in fails before any other call), and builds the pipeline.</summary>
        public static async Task<ArmClient> OpenAsync(CallContext call, EngineOptions options)
        {
            CloudEndpoints cloud = CloudEndpoints.Resolve(call.Azure);
            (TokenSourceCandidate source, _) = await TokenSources.AcquireAsync(call.Azure, cloud.ArmScope, call.Host, options, "AzureAuthenticationFailed",
                $"Azure Resource Manager ({cloud.ArmEndpoint})",
                "Sign in first: Connect-AzAccount (Az.Accounts), az login, or set AZURE_CLIENT_ID/AZURE_TENANT_ID with AZURE_CLIENT_SECRET or AZURE_FEDERATED_TOKEN_FILE; "
                + "or run Connect-KedaAzure -TokenSource <source>.",
                call.Cancellation).ConfigureAwait(false);
            return new ArmClient(BuildPipeline(cloud, source.Credential, options, call.Host), cloud, source, options, call);
        }

        private static HttpPipeline BuildPipeline(CloudEndpoints cloud, TokenCredential credential, EngineOptions options, IKedaAksHost host)
        {
            string audience = cloud.ArmScope.Substring(0, cloud.ArmScope.Length - ".default".Length);
            var clientOptions = new ArmClientOptions { Environment = new ArmEnvironment(cloud.ArmEndpoint, audience) };
            clientOptions.Retry.NetworkTimeout = options.NetworkTimeout;
            clientOptions.RetryPolicy = new RetryPolicy(options.MaxRetries, new LoggedDelay(options.RetryDelay, TimeSpan.FromSeconds(60), options.MaxRetries, host));
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
        public async Task<ArmResponse> SendAsync(RequestMethod method, string pathOrUrl, string? apiVersion, JsonNode? body = null)
        {
            Uri uri = pathOrUrl.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? new Uri(pathOrUrl) : new Uri(Cloud.ArmEndpoint, pathOrUrl.TrimStart('/'));
            if (apiVersion is not null)
            {
                uri = new Uri(uri.AbsoluteUri + (uri.Query.Length > 0 ? "&" : "?") + "api-version=" + apiVersion);
            }

            using HttpMessage message = pipeline.CreateMessage();
            message.Request.Method = method;
            message.Request.Uri.Reset(uri);
            message.Request.Headers.Add("Accept", "application/json");
            if (body is not null)
            {
                message.Request.Headers.Add("Content-Type", "application/json");
                message.Request.Content = RequestContent.Create(Encoding.UTF8.GetBytes(body.ToJsonString()));
            }

            await pipeline.SendAsync(message, Call.Cancellation).ConfigureAwait(false);
            Response response = message.Response;
            string path = uri.GetLeftPart(UriPartial.Path);
            Call.Host.WriteVerbose($"{method} {path} -> {response.Status}");
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (HttpHeader header in response.Headers)
            {
                headers[header.Name] = header.Value;
            }

            return new ArmResponse(response.Status, ParseBody(response, path, headers), headers);
        }

        /// <summary>The resource, or an error naming what was read.</summary>
        public async Task<JsonNode> GetRequiredAsync(string id, string apiVersion, string what)
        {
            ArmResponse response = await SendAsync(RequestMethod.Get, id, apiVersion).ConfigureAwait(false);
            return response.IsSuccess && response.Body is not null ? response.Body : throw ArmErrors.ToException(response, id, $"Reading {what} '{id}'");
        }

        /// <summary>The resource, or null when ARM answers 404.</summary>
        public async Task<JsonNode?> GetOrNullAsync(string id, string apiVersion, string what)
        {
            ArmResponse response = await SendAsync(RequestMethod.Get, id, apiVersion).ConfigureAwait(false);
            return response.Status == 404 ? null
                : response.IsSuccess && response.Body is not null ? response.Body : throw ArmErrors.ToException(response, id, $"Reading {what}");
        }

        /// <summary>Every item of a list, following nextLink (which carries its own api-version).</summary>
        public async Task<List<JsonNode>> ListAsync(string path, string apiVersion)
        {
            var items = new List<JsonNode>();
            string? next = path;
            string? version = apiVersion;
            while (next is not null)
            {
                ArmResponse page = await SendAsync(RequestMethod.Get, next, version).ConfigureAwait(false);
                if (!page.IsSuccess)
                {
                    throw ArmErrors.ToException(page, path, "Listing");
                }

                if (page.Body?["value"] is JsonArray values)
                {
                    items.AddRange(values.Where(v => v is not null)!);
                }

                next = ArmModels.Str(page.Body?["nextLink"]);
                version = null;
            }

            return items;
        }

        /// <summary>Deletes a resource; one that is already gone is not an error.</summary>
        public async Task DeleteAsync(string id, string apiVersion, string what)
        {
            ArmResponse response = await SendAsync(RequestMethod.Delete, id, apiVersion).ConfigureAwait(false);
            if (!response.IsSuccess && response.Status != 404)
            {
                throw ArmErrors.ToException(response, id, $"Removing {what}");
            }
        }

        /// <summary>Follows a long-running operation (Azure-AsyncOperation, else Location) to its end, with progress.</summary>
        public async Task WaitForOperationAsync(ArmResponse start, string activity, string target)
        {
            string? operation = start.Header("Azure-AsyncOperation") ?? start.Header("Location");
            if (operation is null)
            {
                return;
            }

            IKedaAksHost host = Call.Host;
            var clock = Stopwatch.StartNew();
            ArmResponse last = start;
            try
            {
                while (true)
                {
                    if (clock.Elapsed > options.OperationTimeout)
                    {
                        throw new KedaAksException("OperationTimeout", KedaErrorCategory.OperationTimeout,
                            $"{activity} did not finish within {options.OperationTimeout.TotalMinutes:0} minutes.", target,
                            "Check the cluster's provisioning state in the portal (Get-KedaAksCluster) and run the command again: it resumes.");
                    }

                    TimeSpan wait = int.TryParse(last.Header("Retry-After"), out int seconds) ? TimeSpan.FromSeconds(Math.Clamp(seconds, 0, 60)) : options.DefaultPollInterval;
                    await options.Delay(wait, Call.Cancellation).ConfigureAwait(false);
                    last = await SendAsync(RequestMethod.Get, operation, null).ConfigureAwait(false);
                    if (!last.IsSuccess)
                    {
                        throw ArmErrors.ToException(last, target, $"Polling {activity}");
                    }

                    string status = ArmModels.Str(last.Body?["status"]) ?? "InProgress";
                    host.WriteProgress(activity, $"{status} ({clock.Elapsed.TotalSeconds:0} s)");
                    host.WriteVerbose($"{activity}: {status} after {clock.Elapsed.TotalSeconds:0} s.");
                    if (status == "Succeeded")
                    {
                        return;
                    }

                    if (status is "Failed" or "Canceled")
                    {
                        string code = ArmModels.Str(last.Body?["error"]?["code"]) ?? "OperationFailed";
                        throw new KedaAksException(code, KedaErrorCategory.InvalidOperation,
                            $"{activity} ended {status}: {ArmModels.Str(last.Body?["error"]?["message"]) ?? "no reason given"}.", target,
                            "Read Azure's reason, fix it, and run the command again.");
                    }
                }
            }
            finally
            {
                host.WriteProgress(activity, string.Empty, completed: true);
            }
        }

        /// <summary>
        /// ARM's JSON body. A success that is not JSON (a proxy's sign-in page, a wrong endpoint) is an error here; a failure
        /// that is not JSON becomes an ARM-shaped error body with its first line, so the status still reaches the caller.
        /// </summary>
        private JsonNode? ParseBody(Response response, string path, IReadOnlyDictionary<string, string> headers)
        {
            if (response.ContentStream is null)
            {
                return null;
            }

            string content = BinaryData.FromStream(response.ContentStream).ToString();
            if (content.Length == 0)
            {
                return null;
            }

            try
            {
                return JsonNode.Parse(content);
            }
            catch (System.Text.Json.JsonException)
            {
                string first = FirstLine(content);
                if (response.Status is >= 200 and < 300)
                {
                    string type = headers.TryGetValue("Content-Type", out string? contentType) ? contentType : "no content type";
                    throw new KedaAksException("InvalidResponse", KedaErrorCategory.InvalidData,
                        $"{Cloud.ArmEndpoint} answered {path} with {response.Status} and {type}, not JSON: {first}", path,
                        "Something other than Azure Resource Manager answered (a proxy's sign-in page, or a wrong -ArmEndpoint): check the endpoint and the proxy settings.");
                }

                return new JsonObject { ["error"] = new JsonObject { ["code"] = "InvalidResponse", ["message"] = $"not JSON: {first}" } };
            }
        }

        private static string FirstLine(string text)
        {
            string line = Boundary.ErrorText.FirstLine(text);
            return line.Length > 160 ? line.Substring(0, 160) + "…" : line;
        }
    }
}
