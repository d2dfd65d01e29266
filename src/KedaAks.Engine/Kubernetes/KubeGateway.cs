using System.Net;
using System.Net.Http;
using System.Runtime.CompilerServices;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace KedaAks.Engine.Kubernetes
{
    /// <summary>
    /// The one place that talks to the API server: one transport per connection and engine call (<see cref="KubeHttp"/>, its Entra token
    /// fetched once), JSON requests straight on it and KubernetesClient's typed ones through it, and every error translated here.
    /// </summary>
    internal sealed class KubeGateway : IKubeGateway
    {
        public const string FieldManager = "kedaaks";

        private readonly ClusterConnections _connections;
        private readonly EngineOptions _options;
        // Made on first use: its type names KubernetesClient's, whose assembly then loads; a command that never reaches a cluster never pays for that.
        private ConditionalWeakTable<CallContext, ConcurrentDictionary<string, Task<KubeHttp>>>? _clients;

        public KubeGateway(ClusterConnections connections, EngineOptions options)
        {
            _connections = connections;
            _options = options;
        }

        public Task<string> ServerVersionAsync(ClusterConnection connection, CallContext call) =>
            SendAsync(connection, call, null, async (http, token) =>
                Answer(await http.SendAsync(HttpMethod.Get, "version", null, null, token).ConfigureAwait(false), "version")["gitVersion"] is JsonValue version
                && version.TryGetValue(out string? text) ? text : null!);

        public Task<JsonObject?> ReadAsync(ClusterConnection connection, KubeKind kind, string? ns, string name, KubeOperation operation, CallContext call) => Checked(ns, name, () =>
            SendAsync(connection, call, operation, async (http, token) =>
                await http.SendAsync(HttpMethod.Get, KubeHttp.PathOf(kind, ns, name), null, null, token).ConfigureAwait(false) as JsonObject, HttpStatusCode.NotFound));

        public async Task<JsonObject> ApplyAsync(ClusterConnection connection, KubeKind kind, string? ns, string name, JsonObject body, bool dryRun, bool force, KubeOperation operation,
            CallContext call)
        {
            KubernetesErrors.CheckNames(ns, name);
            string path = $"{KubeHttp.PathOf(kind, ns, name)}?fieldManager={FieldManager}{(force ? "&force=true" : string.Empty)}{(dryRun ? "&dryRun=All" : string.Empty)}";
            JsonObject? applied = await SendAsync(connection, call, operation, async (http, token) =>
                await http.SendAsync(HttpMethod.Patch, path, body.ToJsonString(), "application/apply-patch+yaml", token).ConfigureAwait(false) as JsonObject).ConfigureAwait(false);
            return applied ?? throw new KedaAksException("UnexpectedAnswer", KedaErrorCategory.ProtocolError, $"{operation.Action}: the API server answered without the object.",
                operation.Target, "Run again; if it persists, check what answers at the cluster's address.");
        }

        public Task<IReadOnlyList<JsonObject>?> ListAsync(ClusterConnection connection, KubeKind kind, string? ns, KubeOperation operation, CallContext call) => Checked(ns, null, () =>
            SendAsync<IReadOnlyList<JsonObject>?>(connection, call, operation, async (http, token) =>
            {
                JsonNode? list = await http.SendAsync(HttpMethod.Get, KubeHttp.PathOf(kind, kind.Namespaced ? ns : null, null), null, null, token).ConfigureAwait(false);
                return (Answer(list, $"{kind.Plural} list")["items"] as JsonArray ?? new JsonArray()).OfType<JsonObject>().ToList();
            }, HttpStatusCode.NotFound));

        /// <summary>The names of the cluster's namespaces (for completion; not part of <see cref="IKubeGateway"/>, whose fakes need no namespaces).</summary>
        public Task<IReadOnlyList<string>> ListNamespaceNamesAsync(ClusterConnection connection, CallContext call) =>
            SendAsync<IReadOnlyList<string>>(connection, call, new KubeOperation("namespaces", "Listing namespaces"),
                async (http, token) => (await http.Typed.CoreV1.ListNamespaceAsync(cancellationToken: token).ConfigureAwait(false)).Items.Select(n => n.Metadata.Name).ToList());

        public async Task<bool> DeleteAsync(ClusterConnection connection, KubeKind kind, string? ns, string name, KubeOperation operation, CallContext call) =>
            await Checked(ns, name, () => SendAsync<bool>(connection, call, operation, async (http, token) =>
            {
                await http.SendAsync(HttpMethod.Delete, KubeHttp.PathOf(kind, ns, name), null, null, token).ConfigureAwait(false);
                return true;
            }, HttpStatusCode.NotFound)).ConfigureAwait(false);

        public async Task<bool?> CrdExistsAsync(ClusterConnection connection, string name, KubeOperation operation, CallContext call)
        {
            HttpStatusCode? status = await SendAsync<HttpStatusCode?>(connection, call, operation, async (http, token) =>
            {
                try
                {
                    // Read as plain JSON: KubernetesClient's typed CustomResourceDefinition (its whole OpenAPI schema model) costs a first call
                    // hundreds of milliseconds of JIT for an answer that is only "there or not".
                    await http.SendAsync(HttpMethod.Get, KubeHttp.PathOf(KubeKind.CustomResourceDefinition, null, name), null, null, token).ConfigureAwait(false);
                    return HttpStatusCode.OK;
                }
                catch (HttpOperationException exception) when (exception.Response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden)
                {
                    return exception.Response.StatusCode;
                }
            }).ConfigureAwait(false);
            return status switch { HttpStatusCode.OK => true, HttpStatusCode.NotFound => false, _ => null };
        }

        public Task<V1ServiceAccount?> ReadServiceAccountAsync(ClusterConnection connection, string ns, string name, CallContext call) => Checked(ns, name, () =>
            SendAsync<V1ServiceAccount?>(connection, call, new KubeOperation($"ServiceAccount/{ns}/{name}", $"Reading service account '{ns}/{name}'"),
                async (http, token) => await http.Typed.CoreV1.ReadNamespacedServiceAccountAsync(name, ns, cancellationToken: token).ConfigureAwait(false), HttpStatusCode.NotFound));

        public Task<IList<V1Deployment>> ListDeploymentsAsync(ClusterConnection connection, string ns, CallContext call) => Checked(ns, null, () =>
            SendAsync(connection, call, new KubeOperation(ns, $"Listing deployments in '{ns}'"),
                async (http, token) => (await http.Typed.AppsV1.ListNamespacedDeploymentAsync(ns, cancellationToken: token).ConfigureAwait(false)).Items));

        public Task<IList<V1Pod>> ListPodsAsync(ClusterConnection connection, string ns, string labelSelector, KubeOperation operation, CallContext call) => Checked(ns, null, () =>
            SendAsync(connection, call, operation,
                async (http, token) => (await http.Typed.CoreV1.ListNamespacedPodAsync(ns, labelSelector: labelSelector, cancellationToken: token).ConfigureAwait(false)).Items));

        public Task<Stream> ReadPodLogAsync(ClusterConnection connection, string ns, string pod, TimeSpan? since, int? tail, CallContext call) => Checked(ns, pod, () =>
            SendAsync(connection, call, new KubeOperation($"{ns}/{pod}", $"Reading the log of pod {ns}/{pod}"), (http, token) => http.Typed.CoreV1.ReadNamespacedPodLogAsync(pod, ns,
                sinceSeconds: since is null ? null : (int)Math.Ceiling(since.Value.TotalSeconds), tailLines: tail, cancellationToken: token)));

        public Task<IList<V1Secret>> ListSecretsAsync(ClusterConnection connection, string labelSelector, CallContext call) =>
            SendAsync(connection, call, new KubeOperation("secrets", $"Listing secrets ({labelSelector})"),
                async (http, token) => (await http.Typed.CoreV1.ListSecretForAllNamespacesAsync(labelSelector: labelSelector, cancellationToken: token).ConfigureAwait(false)).Items);

        public Task<string> RequestTokenAsync(ClusterConnection connection, string ns, string name, string audience, CallContext call) => Checked(ns, name, () =>
            SendAsync(connection, call, new KubeOperation($"ServiceAccount/{ns}/{name}", $"Requesting a token for service account '{ns}/{name}'"), async (http, token) =>
            {
                var request = new Authenticationv1TokenRequest
                {
                    ApiVersion = "authentication.k8s.io/v1", Kind = "TokenRequest", Spec = new V1TokenRequestSpec { Audiences = new[] { audience }, ExpirationSeconds = 3600 },
                };
                return (await http.Typed.CoreV1.CreateNamespacedServiceAccountTokenAsync(request, name, ns, cancellationToken: token).ConfigureAwait(false)).Status.Token;
            }));

        /// <summary>
        /// Sends one request. An answer with <paramref name="absent"/> gives default; other API errors become KedaAksExceptions
        /// for <paramref name="operation"/> (for the connection itself when null); a refused TLS handshake becomes TlsTrustFailed, other network failures ClusterUnreachable.
        /// </summary>
        private async Task<T> SendAsync<T>(ClusterConnection connection, CallContext call, KubeOperation? operation, Func<KubeHttp, CancellationToken, Task<T>> send,
            HttpStatusCode? absent = null)
        {
            KubeHttp http = await ClientAsync(connection, call).ConfigureAwait(false);
            try
            {
                return await send(http, call.Cancellation).ConfigureAwait(false);
            }
            catch (HttpOperationException exception) when (exception.Response.StatusCode == absent)
            {
                return default!;
            }
            catch (HttpOperationException exception)
            {
                throw operation is null ? KubernetesErrors.Unreachable(connection, exception) : KubernetesErrors.FromResponse(exception, operation.Target, operation.Action);
            }
            catch (HttpRequestException exception)
            {
                throw KubernetesErrors.Unreachable(connection, exception, http.Refusal);
            }
        }

        /// <summary>An answer that must be a JSON object (the version, a list): anything else is the answer of something that is not the API server.</summary>
        private static JsonObject Answer(JsonNode? answer, string what) =>
            answer as JsonObject ?? throw new System.Text.Json.JsonException($"The API server's {what} answer is not a JSON object.");

        /// <summary>The request, once the namespace and name are ones the API server could hold (else InvalidName before any request).</summary>
        private static Task<T> Checked<T>(string? ns, string? name, Func<Task<T>> send)
        {
            KubernetesErrors.CheckNames(ns, name);
            return send();
        }

        private Task<KubeHttp> ClientAsync(ClusterConnection connection, CallContext call)
        {
            ConditionalWeakTable<CallContext, ConcurrentDictionary<string, Task<KubeHttp>>> perCall = LazyInitializer.EnsureInitialized(ref _clients);
            ConcurrentDictionary<string, Task<KubeHttp>> clients = perCall.GetValue(call, _ => new ConcurrentDictionary<string, Task<KubeHttp>>(StringComparer.Ordinal));
            return clients.GetOrAdd(connection.Handle, _ => NewClientAsync(connection, call));
        }

        private async Task<KubeHttp> NewClientAsync(ClusterConnection connection, CallContext call)
        {
            try
            {
                // The configuration reads the certificate authority, the client the client certificate and key.
                KubernetesClientConfiguration configuration = await _connections.ConfigurationAsync(connection, call).ConfigureAwait(false);
                return new KubeHttp(configuration, new RetryHandler(_options, call.Host));
            }
            catch (Exception exception) when (exception is System.Security.Cryptography.CryptographicException or FormatException)
            {
                throw KubeconfigFiles.CertificateProblem(connection.Name, exception);
            }
        }
    }
}
