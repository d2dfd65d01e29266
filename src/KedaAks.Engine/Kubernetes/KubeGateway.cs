using System.Net;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace KedaAks.Engine.Kubernetes
{
    /// <summary>
    /// The one place that talks to KubernetesClient: one client per connection and engine call (its Entra token
    /// fetched once), and every error translated here.
    /// </summary>
    internal sealed class KubeGateway : IKubeGateway
    {
        public const string FieldManager = "kedaaks";

        private readonly ClusterConnections _connections;
        private readonly EngineOptions _options;
        // Made on first use: its type names KubernetesClient's, whose assembly then loads; a command that never reaches a cluster never pays for that.
        private ConditionalWeakTable<CallContext, ConcurrentDictionary<string, Task<k8s.Kubernetes>>>? _clients;

        public KubeGateway(ClusterConnections connections, EngineOptions options)
        {
            _connections = connections;
            _options = options;
        }

        public Task<string> ServerVersionAsync(ClusterConnection connection, CallContext call) =>
            SendAsync(connection, call, null, async (client, token) => (await client.Version.GetCodeAsync(token).ConfigureAwait(false)).GitVersion);

        public Task<JsonObject?> ReadAsync(ClusterConnection connection, KubeKind kind, string? ns, string name, KubeOperation operation, CallContext call) => Checked(ns, name, () =>
            SendAsync(connection, call, operation, async (client, token) => Json(kind switch
            {
                { Name: "ServiceAccount" } => await client.CoreV1.ReadNamespacedServiceAccountAsync(name, ns, cancellationToken: token).ConfigureAwait(false),
                { Name: "Namespace" } => await client.CoreV1.ReadNamespaceAsync(name, cancellationToken: token).ConfigureAwait(false),
                { Namespaced: true } => await client.CustomObjects.GetNamespacedCustomObjectAsync(kind.Group, kind.Version, ns, kind.Plural, name, token).ConfigureAwait(false),
                _ => await client.CustomObjects.GetClusterCustomObjectAsync(kind.Group, kind.Version, kind.Plural, name, token).ConfigureAwait(false),
            }), HttpStatusCode.NotFound));

        public async Task<JsonObject> ApplyAsync(ClusterConnection connection, KubeKind kind, string? ns, string name, JsonObject body, bool dryRun, bool force, KubeOperation operation,
            CallContext call)
        {
            KubernetesErrors.CheckNames(ns, name);
            var patch = new V1Patch(body.ToJsonString(), V1Patch.PatchType.ApplyPatch);
            string? dry = dryRun ? "All" : null;
            JsonObject? applied = await SendAsync(connection, call, operation, async (client, token) => Json(kind switch
            {
                { Name: "ServiceAccount" } => await client.CoreV1.PatchNamespacedServiceAccountAsync(patch, name, ns, dryRun: dry, fieldManager: FieldManager, force: force,
                    cancellationToken: token).ConfigureAwait(false),
                { Name: "Namespace" } => await client.CoreV1.PatchNamespaceAsync(patch, name, dryRun: dry, fieldManager: FieldManager, force: force, cancellationToken: token).ConfigureAwait(false),
                { Namespaced: true } => await client.CustomObjects.PatchNamespacedCustomObjectAsync(patch, kind.Group, kind.Version, ns, kind.Plural, name, dryRun: dry,
                    fieldManager: FieldManager, force: force,
                    cancellationToken: token).ConfigureAwait(false),
                _ => await client.CustomObjects.PatchClusterCustomObjectAsync(patch, kind.Group, kind.Version, kind.Plural, name, dryRun: dry, fieldManager: FieldManager, force: force,
                    cancellationToken: token).ConfigureAwait(false),
            })).ConfigureAwait(false);
            return applied!;
        }

        public Task<IReadOnlyList<JsonObject>?> ListAsync(ClusterConnection connection, KubeKind kind, string? ns, KubeOperation operation, CallContext call) => Checked(ns, null, () =>
            SendAsync<IReadOnlyList<JsonObject>?>(connection, call, operation, async (client, token) =>
            {
                object list = kind.Namespaced && ns is not null
                    ? await client.CustomObjects.ListNamespacedCustomObjectAsync(kind.Group, kind.Version, ns, kind.Plural, cancellationToken: token).ConfigureAwait(false)
                    : await client.CustomObjects.ListClusterCustomObjectAsync(kind.Group, kind.Version, kind.Plural, cancellationToken: token).ConfigureAwait(false);
                return (Json(list)?["items"] as JsonArray ?? new JsonArray()).OfType<JsonObject>().ToList();
            }, HttpStatusCode.NotFound));

        /// <summary>The names of the cluster's namespaces (for completion; not part of <see cref="IKubeGateway"/>, whose fakes need no namespaces).</summary>
        public Task<IReadOnlyList<string>> ListNamespaceNamesAsync(ClusterConnection connection, CallContext call) =>
            SendAsync<IReadOnlyList<string>>(connection, call, new KubeOperation("namespaces", "Listing namespaces"),
                async (client, token) => (await client.CoreV1.ListNamespaceAsync(cancellationToken: token).ConfigureAwait(false)).Items.Select(n => n.Metadata.Name).ToList());

        public async Task<bool> DeleteAsync(ClusterConnection connection, KubeKind kind, string? ns, string name, KubeOperation operation, CallContext call) =>
            await Checked(ns, name, () => SendAsync<object?>(connection, call, operation, async (client, token) => kind switch
            {
                { Name: "ServiceAccount" } => await client.CoreV1.DeleteNamespacedServiceAccountAsync(name, ns, cancellationToken: token).ConfigureAwait(false),
                { Name: "Namespace" } => await client.CoreV1.DeleteNamespaceAsync(name, cancellationToken: token).ConfigureAwait(false),
                { Namespaced: true } => await client.CustomObjects.DeleteNamespacedCustomObjectAsync(kind.Group, kind.Version, ns, kind.Plural, name, cancellationToken: token)
                    .ConfigureAwait(false),
                _ => await client.CustomObjects.DeleteClusterCustomObjectAsync(kind.Group, kind.Version, kind.Plural, name, cancellationToken: token).ConfigureAwait(false),
            }, HttpStatusCode.NotFound)).ConfigureAwait(false) is not null;

        public async Task<bool?> CrdExistsAsync(ClusterConnection connection, string name, KubeOperation operation, CallContext call)
        {
            HttpStatusCode? status = await SendAsync<HttpStatusCode?>(connection, call, operation, async (client, token) =>
            {
                try
                {
                    // Read as plain JSON: KubernetesClient's typed CustomResourceDefinition (its whole OpenAPI schema model) costs a first call
                    // hundreds of milliseconds of JIT for an answer that is only "there or not".
                    await client.CustomObjects.GetClusterCustomObjectAsync("apiextensions.k8s.io", "v1", "customresourcedefinitions", name, token).ConfigureAwait(false);
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
                async (client, token) => await client.CoreV1.ReadNamespacedServiceAccountAsync(name, ns, cancellationToken: token).ConfigureAwait(false), HttpStatusCode.NotFound));

        public Task<IList<V1Deployment>> ListDeploymentsAsync(ClusterConnection connection, string ns, CallContext call) => Checked(ns, null, () =>
            SendAsync(connection, call, new KubeOperation(ns, $"Listing deployments in '{ns}'"),
                async (client, token) => (await client.AppsV1.ListNamespacedDeploymentAsync(ns, cancellationToken: token).ConfigureAwait(false)).Items));

        public Task<IList<V1Pod>> ListPodsAsync(ClusterConnection connection, string ns, string labelSelector, KubeOperation operation, CallContext call) => Checked(ns, null, () =>
            SendAsync(connection, call, operation,
                async (client, token) => (await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: labelSelector, cancellationToken: token).ConfigureAwait(false)).Items));

        public Task<Stream> ReadPodLogAsync(ClusterConnection connection, string ns, string pod, TimeSpan? since, int? tail, CallContext call) => Checked(ns, pod, () =>
            SendAsync(connection, call, new KubeOperation($"{ns}/{pod}", $"Reading the log of pod {ns}/{pod}"), (client, token) => client.CoreV1.ReadNamespacedPodLogAsync(pod, ns,
                sinceSeconds: since is null ? null : (int)Math.Ceiling(since.Value.TotalSeconds), tailLines: tail, cancellationToken: token)));

        public Task<IList<V1Secret>> ListSecretsAsync(ClusterConnection connection, string labelSelector, CallContext call) =>
            SendAsync(connection, call, new KubeOperation("secrets", $"Listing secrets ({labelSelector})"),
                async (client, token) => (await client.CoreV1.ListSecretForAllNamespacesAsync(labelSelector: labelSelector, cancellationToken: token).ConfigureAwait(false)).Items);

        public Task<string> RequestTokenAsync(ClusterConnection connection, string ns, string name, string audience, CallContext call) => Checked(ns, name, () =>
            SendAsync(connection, call, new KubeOperation($"ServiceAccount/{ns}/{name}", $"Requesting a token for service account '{ns}/{name}'"), async (client, token) =>
            {
                var request = new Authenticationv1TokenRequest
                {
                    ApiVersion = "authentication.k8s.io/v1", Kind = "TokenRequest", Spec = new V1TokenRequestSpec { Audiences = new[] { audience }, ExpirationSeconds = 3600 },
                };
                return (await client.CoreV1.CreateNamespacedServiceAccountTokenAsync(request, name, ns, cancellationToken: token).ConfigureAwait(false)).Status.Token;
            }));

        /// <summary>
        /// Sends one request. An answer with <paramref name="absent"/> gives default; other API errors become KedaAksExceptions
        /// for <paramref name="operation"/> (for the connection itself when null); network failures become ClusterUnreachable.
        /// </summary>
        private async Task<T> SendAsync<T>(ClusterConnection connection, CallContext call, KubeOperation? operation, Func<IKubernetes, CancellationToken, Task<T>> send,
            HttpStatusCode? absent = null)
        {
            k8s.Kubernetes client = await ClientAsync(connection, call).ConfigureAwait(false);
            try
            {
                return await send(client, call.Cancellation).ConfigureAwait(false);
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
                throw KubernetesErrors.Unreachable(connection, exception);
            }
        }

        /// <summary>The request, once the namespace and name are ones the API server could hold (else InvalidName before any request).</summary>
        private static Task<T> Checked<T>(string? ns, string? name, Func<Task<T>> send)
        {
            KubernetesErrors.CheckNames(ns, name);
            return send();
        }

        private Task<k8s.Kubernetes> ClientAsync(ClusterConnection connection, CallContext call)
        {
            ConditionalWeakTable<CallContext, ConcurrentDictionary<string, Task<k8s.Kubernetes>>> perCall = LazyInitializer.EnsureInitialized(ref _clients);
            ConcurrentDictionary<string, Task<k8s.Kubernetes>> clients = perCall.GetValue(call, _ => new ConcurrentDictionary<string, Task<k8s.Kubernetes>>(StringComparer.Ordinal));
            return clients.GetOrAdd(connection.Handle, _ => NewClientAsync(connection, call));
        }

        private async Task<k8s.Kubernetes> NewClientAsync(ClusterConnection connection, CallContext call)
        {
            try
            {
                // The configuration reads the certificate authority, the client the client certificate and key.
                KubernetesClientConfiguration configuration = await _connections.ConfigurationAsync(connection, call).ConfigureAwait(false);
                return new k8s.Kubernetes(configuration, new RetryHandler(_options, call.Host));
            }
            catch (Exception exception) when (exception is System.Security.Cryptography.CryptographicException or FormatException)
            {
                throw KubeconfigFiles.CertificateProblem(connection.Name, exception);
            }
        }

        /// <summary>An answer as a JsonObject: a custom object's JsonElement is wrapped as it is (no second parse), a typed model serialized once.</summary>
        private static JsonObject? Json(object? value) => value switch
        {
            null => null,
            JsonElement { ValueKind: JsonValueKind.Object } element => JsonObject.Create(element),
            JsonElement => null,
            _ => JsonNode.Parse(KubernetesJson.Serialize(value)) as JsonObject,
        };
    }
}
