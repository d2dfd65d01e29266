using System.Text.Json;
using global::Azure;
using global::Azure.Core;
using global::Azure.Core.Pipeline;
using global::Azure.ResourceManager;

namespace KedaAks.Engine.Azure
{
    /// <summary>
    /// A custom cloud's endpoints from its ARM metadata, as <c>Add-AzEnvironment -ARMEndpoint</c> and <c>az cloud register</c> read them:
    /// <c>GET {arm}/metadata/endpoints?api-version=2022-09-01</c> (anonymous) gives the Entra authority (<c>authentication.loginEndpoint</c>,
    /// one trailing slash) and the ARM token audience (<c>authentication.audiences[0]</c>). One cloud object is the answer; a list of
    /// clouds (older api-versions) is read too, taking the one whose resourceManager is this endpoint.
    /// </summary>
    internal static class CloudMetadata
    {
        public const string ApiVersion = "2022-09-01";

        public static Uri Address(Uri armEndpoint) => new(CloudEndpoints.WithSlash(armEndpoint), $"metadata/endpoints?api-version={ApiVersion}");

        /// <summary>Reads the metadata; a failure or an answer without a usable loginEndpoint is a KedaAksException naming the address and the fix.</summary>
        public static async Task<(Uri Authority, string Audience)> DiscoverAsync(Uri armEndpoint, EngineOptions options, IKedaAksHost host, CancellationToken cancellationToken)
        {
            Uri address = Address(armEndpoint);
            var clientOptions = new ArmClientOptions();
            clientOptions.Retry.MaxRetries = Math.Min(options.MaxRetries, 3);
            clientOptions.Retry.Delay = options.RetryDelay;
            clientOptions.Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
            clientOptions.Diagnostics.IsLoggingEnabled = false;
            clientOptions.Diagnostics.IsDistributedTracingEnabled = false;
            clientOptions.Diagnostics.ApplicationId = "KedaAks";
            if (options.Transport is not null)
            {
                clientOptions.Transport = options.Transport;
            }

            HttpPipeline pipeline = HttpPipelineBuilder.Build(clientOptions);
            using HttpMessage message = pipeline.CreateMessage();
            message.Request.Method = RequestMethod.Get;
            message.Request.Uri.Reset(address);
            message.Request.Headers.Add("Accept", "application/json");
            string fix = $"Check that {armEndpoint} is the ARM endpoint of the cloud, or pass -AuthorityHost (the cloud's Entra authority) to Connect-KedaAzure "
                + "so no metadata is needed.";
            try
            {
                await pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                Exception innermost = exception;
                while (innermost.InnerException is not null)
                {
                    innermost = innermost.InnerException;
                }

                bool tls = innermost is System.Security.Authentication.AuthenticationException;
                throw new KedaAksException(tls ? "TlsTrustFailed" : "CloudMetadataUnavailable", tls ? KedaErrorCategory.SecurityError : KedaErrorCategory.ConnectionError,
                    $"The cloud metadata at {address} could not be read: {(tls ? "the server's TLS certificate is not trusted: " : string.Empty)}"
                    + $"{Boundary.ErrorText.FirstLine(innermost.Message)}", address.ToString(),
                    tls ? "Trust the cloud's CA before pwsh starts (add it to the system store, or name a bundle that holds it in SSL_CERT_FILE), then run again."
                        : fix) { Detail = exception.ToString() };
            }

            Response response = message.Response;
            host.WriteVerbose($"GET {address.GetLeftPart(UriPartial.Path)} -> {response.Status}");
            if (response.Status != 200)
            {
                throw Unavailable(address, $"it answered HTTP {response.Status}", fix);
            }

            (Uri authority, string audience) = Parse(response.Content.ToString(), armEndpoint, address, fix);
            host.WriteVerbose($"Cloud metadata of {armEndpoint}: authority {authority}, ARM audience {audience}.");
            return (authority, audience);
        }

        /// <summary>The authority and ARM audience from the metadata's JSON (one cloud, or a list of clouds); anything else is CloudMetadataInvalid.</summary>
        public static (Uri Authority, string Audience) Parse(string json, Uri armEndpoint, Uri address, string fix)
        {
            JsonNode? root;
            try
            {
                root = JsonNode.Parse(json);
            }
            catch (JsonException)
            {
                throw Invalid(address, "its answer is not JSON", fix);
            }

            JsonObject? cloud = root switch
            {
                JsonObject single => single,
                JsonArray list => list.OfType<JsonObject>().FirstOrDefault(c => SameEndpoint(Text(c["resourceManager"]), armEndpoint))
                    ?? list.OfType<JsonObject>().FirstOrDefault(),
                _ => null,
            };
            if (cloud is null)
            {
                throw Invalid(address, "its answer names no cloud", fix);
            }

            string? login = Text(cloud["authentication"]?["loginEndpoint"]);
            if (login is null || !Uri.TryCreate(login.TrimEnd('/') + "/", UriKind.Absolute, out Uri? authority) || authority.Scheme != Uri.UriSchemeHttps)
            {
                throw Invalid(address, login is null ? "it has no authentication.loginEndpoint" : $"its authentication.loginEndpoint '{login}' is not an https:// address", fix);
            }

            string? audience = cloud["authentication"]?["audiences"] is JsonArray audiences
                ? audiences.Select(Text).FirstOrDefault(a => !string.IsNullOrWhiteSpace(a))
                : null;
            return (authority, audience ?? CloudEndpoints.WithSlash(armEndpoint).AbsoluteUri);
        }

        private static bool SameEndpoint(string? text, Uri armEndpoint) =>
            text is not null && string.Equals(text.TrimEnd('/'), armEndpoint.AbsoluteUri.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);

        private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue(out string? text) ? text : null;

        private static KedaAksException Unavailable(Uri address, string why, string fix) =>
            new("CloudMetadataUnavailable", KedaErrorCategory.ConnectionError, $"The cloud metadata at {address} could not be read: {why}.", address.ToString(), fix);

        private static KedaAksException Invalid(Uri address, string why, string fix) =>
            new("CloudMetadataInvalid", KedaErrorCategory.InvalidData, $"The cloud metadata at {address} is not usable: {why}.", address.ToString(), fix);
    }
}
