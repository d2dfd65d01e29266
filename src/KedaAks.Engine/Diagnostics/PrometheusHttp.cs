using System.Net.Http;
using System.Net.Http.Headers;
using global::Azure.Core;

namespace KedaAks.Engine.Diagnostics
{
    /// <summary>A Prometheus HTTP API answer: the status and body, or why no answer came (KEDA's wording).</summary>
    internal sealed record PrometheusAnswer(int? StatusCode, string Body, string? Failure)
    {
        public bool Succeeded => Failure is null && StatusCode is >= 200 and < 300;
    }

    /// <summary>
    /// How KEDA v2.20's prometheus scaler talks to its server, for every request KedaAks makes on a trigger's behalf (query,
    /// query_range, the cluster-label probe): serverAddress + path, the trigger's namespace and queryParameters appended, its
    /// customHeaders, its timeout, and for Azure Managed Prometheus an Entra token for the cloud's Prometheus audience (from the
    /// module's token source, or KEDA's own identity with -AsWorkloadIdentity). The token is fetched once per call's authorization.
    /// </summary>
    internal sealed class PrometheusHttp
    {
        /// <summary>Refuses, before any request, a server address that is not an absolute http or https URL (the query and the replay both send to it).</summary>
        public static void CheckServerAddress(string? address)
        {
            if (address is null || !System.Uri.TryCreate(address, UriKind.Absolute, out System.Uri? server) || server.Scheme is not ("http" or "https") || address.Any(char.IsControl))
            {
                string shown = Azure.AzureSettingsRules.Shown(address ?? string.Empty);
                throw new KedaAksException("InvalidServerAddress", KedaErrorCategory.InvalidArgument, $"'{shown}' is not a Prometheus server address (an absolute http or https URL).",
                    shown, "Pass the query endpoint, e.g. the workspace's PrometheusQueryEndpoint (Get-KedaMonitorWorkspace) or http://prometheus.monitoring:9090.");
            }
        }

        private readonly EngineOptions _options;

        public PrometheusHttp(EngineOptions options, WorkloadIdentityProbe? probe)
        {
            _options = options;
            Probe = probe;
        }

        /// <summary>Exchanges KEDA's service-account token (for -AsWorkloadIdentity).</summary>
        private WorkloadIdentityProbe? Probe { get; }

        /// <summary>serverAddress + path + the given parameters, then namespace and queryParameters, each escaped as Go's url.QueryEscape does.</summary>
        public static string Uri(PrometheusQueryRequest request, string path, params (string Name, string Value)[] parameters)
        {
            var uri = new StringBuilder(request.ServerAddress).Append(path);
            char separator = '?';
            void Add(string name, string value)
            {
                uri.Append(separator).Append(GoQueryEscape(name)).Append('=').Append(GoQueryEscape(value));
                separator = '&';
            }

            foreach ((string name, string value) in parameters)
            {
                Add(name, value);
            }

            if (!string.IsNullOrEmpty(request.Namespace))
            {
                Add("namespace", request.Namespace!);
            }

            foreach (KeyValuePair<string, string> parameter in request.QueryParameters)
            {
                Add(parameter.Key, parameter.Value);
            }

            return uri.ToString();
        }

        /// <summary>RFC 3339 in UTC, as KEDA formats its query time.</summary>
        public static string Rfc3339(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

        /// <summary>The bearer token the trigger's server gets, or null (plain Prometheus): KEDA's identity with -AsWorkloadIdentity, else the module's sign-in.</summary>
        public async Task<string?> AuthorizationAsync(PrometheusQueryRequest request, CallContext call)
        {
            string? scope = AzureScope(request);
            if (request.AsWorkloadIdentity is { } identity)
            {
                if (request.Connection is null || Probe is null)
                {
                    throw new KedaAksException("ClusterConnectionRequired", KedaErrorCategory.InvalidArgument,
                        "-AsWorkloadIdentity needs the cluster, to request KEDA's service-account token.", identity.IdentityName,
                        "Connect-KedaCluster first, or pass -Cluster / -KubeconfigPath.");
                }

                return await Probe.ExchangeOnceAsync(request.Connection, identity, scope ?? CloudEndpoints.Resolve(call.Azure).PrometheusScope, call).ConfigureAwait(false);
            }

            if (scope is null)
            {
                return null;
            }

            (_, AccessToken token) = await TokenSources.AcquireAsync(call.Azure, scope, call.Host, _options, "PrometheusAuthenticationFailed", $"Azure Managed Prometheus ({scope})",
                "Sign in with an identity that has Monitoring Data Reader on the workspace (Connect-KedaAzure), or use -AsWorkloadIdentity to test KEDA's own identity.",
                call.Cancellation).ConfigureAwait(false);
            return token.Token;
        }

        /// <summary>One GET with the trigger's headers and the given token, within <paramref name="timeout"/>; a transport failure is an answer too.</summary>
        public async Task<PrometheusAnswer> GetAsync(PrometheusQueryRequest request, string uri, string? bearer, TimeSpan timeout, CallContext call)
        {
            using var message = new HttpRequestMessage(HttpMethod.Get, uri);
            foreach (KeyValuePair<string, string> header in request.CustomHeaders)
            {
                message.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            if (bearer is not null)
            {
                message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
            }

            call.Host.WriteVerbose($"GET {uri}");
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(call.Cancellation);
            deadline.CancelAfter(timeout);
            try
            {
                using HttpResponseMessage response = await _options.QueryHttp.SendAsync(message, deadline.Token).ConfigureAwait(false);
                string body = await response.Content.ReadAsStringAsync(deadline.Token).ConfigureAwait(false);
                return new PrometheusAnswer((int)response.StatusCode, body, null);
            }
            catch (OperationCanceledException) when (!call.Cancellation.IsCancellationRequested)
            {
                return new PrometheusAnswer(null, string.Empty,
                    $"Get \"{uri}\": context deadline exceeded (Client.Timeout exceeded while awaiting headers) after {timeout.TotalMilliseconds:0} ms: error executing prometheus query");
            }
            catch (HttpRequestException exception)
            {
                return new PrometheusAnswer(null, string.Empty, $"Get \"{uri}\": {exception.Message}: error executing prometheus query");
            }
        }

        /// <summary>The Entra scope for Azure Managed Prometheus, as KEDA's round tripper picks it.</summary>
        internal static string? AzureScope(PrometheusQueryRequest request) =>
            PrometheusTrigger.AzureScope(request.ServerAddress, request.Cloud, request.AzureManagedPrometheusResourceUrl);

        /// <summary>Go's url.QueryEscape: unreserved characters stay, space becomes '+', the rest %XX.</summary>
        internal static string GoQueryEscape(string text)
        {
            var builder = new StringBuilder(text.Length * 2);
            foreach (byte b in Encoding.UTF8.GetBytes(text))
            {
                char c = (char)b;
                if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c is '-' or '_' or '.' or '~')
                {
                    builder.Append(c);
                }
                else if (c == ' ')
                {
                    builder.Append('+');
                }
                else
                {
                    builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
                }
            }

            return builder.ToString();
        }
    }
}
