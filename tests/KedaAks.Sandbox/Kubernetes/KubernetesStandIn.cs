using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using KedaAks.Sandbox.Kubernetes.Controllers;
using Microsoft.AspNetCore.Http;

namespace KedaAks.Sandbox.Kubernetes
{
    /// <summary>
    /// The Kubernetes API server, as far as KedaAks uses it, with its semantics. This class routes requests; the
    /// parts are: <see cref="ClusterStore"/> (objects, resourceVersion, managedFields), <see cref="Discovery"/>,
    /// <see cref="ObjectWrites"/> and <see cref="ServerSideApply"/>, <see cref="Admission"/> (CRD schemas),
    /// <see cref="WatchStreams"/>, <see cref="Subresources"/> (logs, token requests) and the controllers.
    /// </summary>
    public sealed class KubernetesStandIn
    {
        public const string AksServerApplication = "6dae42f8-4368-4678-94ff-3960e28e3630";

        private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Path, DateTime Written), IReadOnlyList<JsonNode?>> ParsedFiles = new();

        private readonly List<IKubernetesController> _controllers = new();
        private readonly WorkloadIdentityWebhook _webhook = new();
        private readonly DeploymentController _deployments;
        private readonly Discovery _discovery;
        private readonly ObjectWrites _writes;
        private readonly ServerSideApply _apply;
        private readonly WatchStreams _watches;
        private readonly PodLogs _podLogs;

        public KubernetesStandIn(string version = "v1.33.2")
        {
            GitVersion = version;
            Store = new ClusterStore(BuiltInKinds.All);
            _deployments = new DeploymentController(_webhook);
            _controllers.AddRange(new IKubernetesController[]
            {
                new CustomResourceDefinitionController(), new NamespaceController(), _deployments, new ServiceIpAllocator(), new KedaHpaController(),
            });
            _discovery = new Discovery(Store, version);
            _writes = new ObjectWrites(Store, _controllers);
            _writes.Webhooks.Add(new KedaAdmissionWebhook());
            _apply = new ServerSideApply(Store, _writes);
            _watches = new WatchStreams(Store, Refresh);
            _podLogs = new PodLogs(Store);
            Subresources.Register("pods", "log", "GET", _podLogs.Read);
            Subresources.Register("serviceaccounts", "token", "POST", new TokenRequests(Store, () => ServiceAccountTokens).Create);
            foreach (string ns in new[] { "default", "kube-system", "kube-public" })
            {
                Store.AddNamespace(ns);
            }
        }

        public string GitVersion { get; }

        public ClusterStore Store { get; }

        public Subresources Subresources { get; } = new();

        /// <summary>Deployments and pods become ready this long after a rollout starts (a simulated kubelet).</summary>
        public TimeSpan RolloutDuration { get => _deployments.RolloutDuration; set => _deployments.RolloutDuration = value; }

        /// <summary>Whether the cluster runs the workload identity webhook (AKS securityProfile.workloadIdentity).</summary>
        public Func<bool> WorkloadIdentityEnabled { get => _webhook.Enabled; set => _webhook.Enabled = value; }

        /// <summary>The tenant the webhook injects when a service account names none.</summary>
        public string TenantId { get => _webhook.TenantId; set => _webhook.TenantId = value; }

        /// <summary>Signs TokenRequest tokens; set by the sandbox (its issuer follows the cluster's OIDC setting).</summary>
        public ServiceAccountTokens? ServiceAccountTokens { get; set; }

        /// <summary>The bearer token of the kubeconfig the sandbox writes (a local account).</summary>
        public string Token { get; set; } = "sandbox-" + Guid.NewGuid().ToString("N");

        /// <summary>Every request is answered with this status by a gateway in front of the API server (0: none; a fleet cluster that is down).</summary>
        public int ApiServerStatus { get; set; }

        /// <summary>Only tokens issued for the AKS Entra server application are accepted (local accounts off).</summary>
        public bool EntraOnly { get; set; }

        /// <summary>One KEDA polling cycle as seen from an operator pod; set by the sandbox (see KedaOperatorSimulator).</summary>
        public Func<JsonObject, IEnumerable<string>>? OperatorCycle { get => _podLogs.OperatorCycle; set => _podLogs.OperatorCycle = value; }

        /// <summary>Adds a control loop (run after the built-in ones: CRDs, namespaces, deployments, service IPs).</summary>
        public void AddController(IKubernetesController controller)
        {
            lock (Store.Sync)
            {
                _controllers.Add(controller);
            }
        }

        /// <summary>Adds a validating admission webhook (after KEDA's, which acts only while keda-admission-webhooks runs).</summary>
        public void AddWebhook(IValidatingWebhook webhook)
        {
            lock (Store.Sync)
            {
                _writes.Webhooks.Add(webhook);
            }
        }

        /// <summary>Installs the CRDs of a folder (e.g. ../shared/fixtures/keda/crds) as if applied.</summary>
        /// <summary>KEDA's CRDs from a folder; <paramref name="owner"/> adds labels and annotations to each (e.g. Helm's ownership, as a Helm install leaves them).</summary>
        public int LoadCustomResourceDefinitions(string directory, JsonObject? owner = null)
        {
            int count = 0;
            foreach (string file in Directory.GetFiles(directory, "*.yaml").OrderBy(f => f, StringComparer.Ordinal))
            {
                // A fleet loads the same CRDs into many clusters: parse each file once per process, give each cluster its own copy.
                IReadOnlyList<JsonNode?> parsed = ParsedFiles.GetOrAdd((Path.GetFullPath(file), File.GetLastWriteTimeUtc(file)),
                    key => YamlJson.Documents(File.ReadAllText(key.Path)).ToList());
                foreach (JsonNode? document in parsed.Select(d => d?.DeepClone()))
                {
                    if (document is JsonObject crd && crd["kind"]?.GetValue<string>() == "CustomResourceDefinition")
                    {
                        foreach (string part in new[] { "labels", "annotations" })
                        {
                            if (owner?[part] is JsonObject marks)
                            {
                                JsonObject metadata = crd["metadata"]!.AsObject();
                                JsonObject target = metadata[part] as JsonObject ?? new JsonObject();
                                metadata[part] = target;
                                foreach (KeyValuePair<string, JsonNode?> mark in marks)
                                {
                                    target[mark.Key] = mark.Value?.DeepClone();
                                }
                            }
                        }

                        lock (Store.Sync)
                        {
                            string name = crd["metadata"]!["name"]!.GetValue<string>();
                            Store.Put(ClusterStore.Key(Store.Kind("customresourcedefinitions"), null, name), Store.Stamp(crd, created: true));
                            CustomResourceDefinitionController.Establish(Store, crd);
                        }

                        count++;
                    }
                }
            }

            return count;
        }

        /// <summary>Creates an object as if applied before the test began (a scenario's seed); its namespace is created when missing.</summary>
        public (int Status, JsonNode? Body) Seed(JsonObject manifest)
        {
            lock (Store.Sync)
            {
                string? apiVersion = manifest["apiVersion"]?.GetValue<string>();
                string? kind = manifest["kind"]?.GetValue<string>();
                ResourceType type = Store.Types.FirstOrDefault(t => t.ApiVersion == apiVersion && t.Kind == kind)
                    ?? throw new ArgumentException($"The cluster serves no kind {kind} in {apiVersion}.", nameof(manifest));
                string? ns = type.Namespaced ? manifest["metadata"]?["namespace"]?.GetValue<string>() ?? "default" : null;
                if (ns is not null && !Store.NamespaceExists(ns))
                {
                    Store.AddNamespace(ns);
                }

                return _writes.Create(type, ns, (JsonObject)manifest.DeepClone(), "sandbox-scenario", dryRun: false);
            }
        }

        /// <summary>Deletes an object as a controller would (false when absent); <paramref name="ns"/> is null for cluster-scoped kinds.</summary>
        public bool Remove(string plural, string? ns, string name)
        {
            lock (Store.Sync)
            {
                return _writes.Delete(Store.Kind(plural), ns, name, dryRun: false).Item1 == 200;
            }
        }

        /// <summary>Creates a running pod (if missing) with labels, and appends lines to its log.</summary>
        public void AddPodLog(string ns, string pod, IDictionary<string, string> labels, IEnumerable<(DateTimeOffset Time, string Line)> lines)
        {
            lock (Store.Sync)
            {
                _podLogs.Add(ns, pod, labels, lines);
            }
        }

        /// <summary>Objects of a kind in every namespace (for the operator simulation; callers hold no lock).</summary>
        public IReadOnlyList<JsonObject> All(string plural)
        {
            lock (Store.Sync)
            {
                return Store.Objects.Where(p => p.Key.Split('|')[1] == plural).Select(p => (JsonObject)p.Value.DeepClone()).ToList();
            }
        }

        public JsonObject? Get(string apiVersion, string plural, string? ns, string name)
        {
            lock (Store.Sync)
            {
                ResourceType? type = Store.FindByApiVersion(apiVersion, plural);
                return type is not null && Store.Objects.TryGetValue(ClusterStore.Key(type, ns, name), out JsonObject? found) ? (JsonObject)found.DeepClone() : null;
            }
        }

        public int Count(string plural)
        {
            lock (Store.Sync)
            {
                return Store.Objects.Keys.Count(k => k.Split('|')[1] == plural);
            }
        }

        public static bool Handles(string path) => path.TrimEnd('/') == "/version" || path.StartsWith("/openapi/", StringComparison.Ordinal) || path == "/api"
            || path.StartsWith("/api/", StringComparison.Ordinal) || path == "/apis" || path.StartsWith("/apis/", StringComparison.Ordinal);

        public bool Authorized(string? authorization, Arm.TokenService tokens)
        {
            if (string.IsNullOrEmpty(authorization) || !authorization.StartsWith("Bearer ", StringComparison.Ordinal))
            {
                return false;
            }

            string token = authorization.Substring("Bearer ".Length);
            if (!EntraOnly && token == Token)
            {
                return true;
            }

            JsonObject? claims = tokens.Validate(token);
            string? audience = claims?["aud"]?.GetValue<string>();
            return audience is not null && (audience == AksServerApplication || audience == "api://" + AksServerApplication);
        }

        /// <summary>A client certificate the cluster's CA signed (AKS's admin credentials), as the API server accepts one; not where only Entra is allowed.</summary>
        public bool AuthorizedByCertificate(System.Security.Cryptography.X509Certificates.X509Certificate2? certificate, SandboxCertificates authority) =>
            !EntraOnly && authority.Validate(certificate);

        public async Task<(int Status, JsonNode? Body)> HandleAsync(HttpContext context, string path)
        {
            string method = context.Request.Method.ToUpperInvariant();
            string body = string.Empty;
            if (method is "POST" or "PUT" or "PATCH")
            {
                using var buffer = new MemoryStream();
                await context.Request.Body.CopyToAsync(buffer).ConfigureAwait(false);
                byte[] bytes = buffer.ToArray();
                // Typed clients (Helm's release storage) send Secrets as protobuf: read them as the JSON they encode.
                body = KubernetesProtobuf.IsProtobuf(context.Request.ContentType) && KubernetesProtobuf.ToJson(bytes) is { } decoded
                    ? decoded.ToJsonString() : System.Text.Encoding.UTF8.GetString(bytes);
            }

            lock (Store.Sync)
            {
                return Handle(context, path, method, body);
            }
        }

        /// <summary>A GET with watch=true: answered as a stream of watch events, not a list.</summary>
        public static bool IsWatch(HttpContext context) => WatchStreams.IsWatch(context);

        /// <summary>Streams watch events for one resource type (see <see cref="WatchStreams"/>).</summary>
        public Task WatchAsync(HttpContext context, string path) => _watches.WatchAsync(context, path);

        public static (int, JsonNode?) Status(int code, string reason, string message, string? name = null, ResourceType? type = null) =>
            KubernetesStatus.Status(code, reason, message, name, type);

        /// <summary>Lets every controller finish what time has completed (callers hold the lock).</summary>
        private void Refresh()
        {
            DateTimeOffset now = DateTimeOffset.UtcNow;
            foreach (IKubernetesController controller in _controllers)
            {
                controller.Refresh(Store, now);
            }
        }

        private (int, JsonNode?) Handle(HttpContext context, string path, string method, string body)
        {
            path = path.Length > 1 ? path.TrimEnd('/') : path;
            if (_discovery.TryHandle(path) is { } discovered)
            {
                return discovered;
            }

            string[] segments = path.Trim('/').Split('/');
            bool core = segments[0] == "api";
            int versionIndex = core ? 1 : 2;
            if (segments.Length <= versionIndex)
            {
                return KubernetesStatus.NoSuchResource();
            }

            string apiGroup = core ? string.Empty : segments[1];
            string version = segments[versionIndex];
            string[] rest = segments.Skip(versionIndex + 1).ToArray();
            if (rest.Length == 0)
            {
                return _discovery.GroupVersion(apiGroup, version);
            }

            bool namespaced = rest[0] == "namespaces" && rest.Length >= 3;
            string? ns = namespaced ? rest[1] : null;
            string[] item = namespaced ? rest[2..] : rest;
            string plural = item[0];
            string? name = item.Length > 1 ? item[1] : null;
            string? subresource = item.Length > 2 ? item[2] : null;
            ResourceType? type = Store.Find(apiGroup, version, plural);
            if (Subresources.Find(type, subresource, method, name) is { } handler)
            {
                return handler(new SubresourceRequest(type!, ns, name!, context, body));
            }

            if (type is null || !Subresources.ServedByObject(subresource) || (!type.Namespaced && ns is not null))
            {
                return KubernetesStatus.NoSuchResource();
            }

            Refresh();
            bool dryRun = context.Request.Query["dryRun"] == "All";
            return method switch
            {
                "GET" when name is null => _writes.List(type, ns, context.Request.Query["labelSelector"]),
                "GET" => _writes.Get(type, ns, name),
                "DELETE" when name is not null => _writes.Delete(type, ns, name, dryRun),
                "POST" or "PUT" or "PATCH" => Write(method, type, ns, name, body, context, dryRun),
                _ => KubernetesStatus.MethodNotAllowed(),
            };
        }

        private (int, JsonNode?) Write(string method, ResourceType type, string? ns, string? name, string body, HttpContext context, bool dryRun)
        {
            string mediaType = context.Request.ContentType ?? string.Empty;
            if ((mediaType.Contains("protobuf", StringComparison.Ordinal) && !body.StartsWith('{')) || mediaType.Contains("cbor", StringComparison.Ordinal))
            {
                // The stand-in speaks JSON and YAML only; clients fall back when told so.
                return KubernetesStatus.Status(415, "UnsupportedMediaType",
                    "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, "
                    + $"application/apply-patch+yaml, application/merge-patch+json (got {mediaType})");
            }

            JsonObject? obj;
            try
            {
                obj = body.TrimStart().StartsWith('{') ? JsonNode.Parse(body) as JsonObject : YamlJson.Documents(body).FirstOrDefault() as JsonObject;
            }
            catch (Exception exception) when (exception is System.Text.Json.JsonException or YamlDotNet.Core.YamlException)
            {
                return KubernetesStatus.Status(400, "BadRequest", $"the object provided is unrecognized: {exception.Message}");
            }

            if (obj is null)
            {
                return KubernetesStatus.Status(400, "BadRequest", "the request body is empty or not an object");
            }

            string? manager = context.Request.Query["fieldManager"];
            return method switch
            {
                "POST" when name is null => _writes.Create(type, ns, obj, manager ?? "unknown", dryRun),
                "PUT" when name is not null => _writes.Replace(type, ns, name, obj, manager ?? "unknown", dryRun),
                "PATCH" when name is not null && mediaType.StartsWith("application/apply-patch", StringComparison.Ordinal) =>
                    _apply.Apply(type, ns, name, obj, manager, context.Request.Query["force"] == "true", dryRun),
                "PATCH" when name is not null => _writes.MergePatch(type, ns, name, obj, manager ?? "unknown", dryRun),
                _ => KubernetesStatus.MethodNotAllowed(),
            };
        }
    }
}
