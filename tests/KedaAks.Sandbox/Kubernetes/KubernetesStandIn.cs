using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace KedaAks.Sandbox.Kubernetes
{
    /// <summary>A kind the stand-in serves: built in, or registered by a CustomResourceDefinition.</summary>
    public sealed record ResourceType(string Group, string Version, string Plural, string Kind, bool Namespaced, JsonObject? Schema = null)
    {
        public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

        /// <summary>How the API server names the resource in messages: "serviceaccounts", "scaledobjects.keda.sh".</summary>
        public string Qualified => Group.Length == 0 ? Plural : $"{Plural}.{Group}";
    }

    /// <summary>
    /// The Kubernetes API server, as far as KedaAks uses it, with its semantics: discovery, namespaces, service
    /// accounts, secrets, CustomResourceDefinitions that become served kinds (Established), custom objects
    /// pruned and validated against the CRD's schema, create/replace/delete, server-side apply with field
    /// managers and conflicts, dryRun=All, resourceVersion conflicts, and Status bodies shaped like the real ones.
    /// </summary>
    public sealed class KubernetesStandIn
    {
        public const string AksServerApplication = "6dae42f8-4368-4678-94ff-3960e28e3630";

        private static readonly Regex Subdomain = new(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
        private static readonly Regex Label = new(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");

        private readonly object _lock = new();
        private readonly List<ResourceType> _types = new()
        {
            new("", "v1", "namespaces", "Namespace", false),
            new("", "v1", "serviceaccounts", "ServiceAccount", true),
            new("", "v1", "secrets", "Secret", true),
            new("", "v1", "configmaps", "ConfigMap", true),
            new("", "v1", "pods", "Pod", true),
            new("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false),
            new("", "v1", "services", "Service", true),
            new("", "v1", "endpoints", "Endpoints", true),
            new("", "v1", "events", "Event", true),
            new("apps", "v1", "deployments", "Deployment", true),
            new("apps", "v1", "replicasets", "ReplicaSet", true),
            new("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", false),
            new("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", false),
            new("rbac.authorization.k8s.io", "v1", "roles", "Role", true),
            new("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding", true),
            new("apiregistration.k8s.io", "v1", "apiservices", "APIService", false),
            new("admissionregistration.k8s.io", "v1", "validatingwebhookconfigurations", "ValidatingWebhookConfiguration", false),
            new("admissionregistration.k8s.io", "v1", "mutatingwebhookconfigurations", "MutatingWebhookConfiguration", false),
            new("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", true),
            new("networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy", true),
        };

        /// <summary>Deployments and pods become ready this long after a rollout starts (a simulated kubelet).</summary>
        public TimeSpan RolloutDuration { get; set; } = TimeSpan.FromSeconds(1);

        /// <summary>Whether the cluster runs the workload identity webhook (AKS securityProfile.workloadIdentity).</summary>
        public Func<bool> WorkloadIdentityEnabled { get; set; } = () => false;

        /// <summary>The tenant the webhook injects when a service account names none.</summary>
        public string TenantId { get; set; } = string.Empty;

        private readonly Dictionary<string, DateTimeOffset> _readyAt = new(StringComparer.Ordinal);

        private readonly Dictionary<string, JsonObject> _objects = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<(DateTimeOffset Time, string Line)>> _logs = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Dictionary<string, (string Operation, HashSet<string> Paths)>> _owners = new(StringComparer.Ordinal);
        private long _resourceVersion = 1000;

        public KubernetesStandIn(string version = "v1.33.2")
        {
            GitVersion = version;
            foreach (string ns in new[] { "default", "kube-system", "kube-public" })
            {
                Store(Key(_types[0], null, ns), Stamp(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = ns } }, created: true));
            }
        }

        public string GitVersion { get; }

        /// <summary>Signs TokenRequest tokens; set by the sandbox (its issuer follows the cluster's OIDC setting).</summary>
        public ServiceAccountTokens? ServiceAccountTokens { get; set; }

        /// <summary>The bearer token of the kubeconfig the sandbox writes (a local account).</summary>
        public string Token { get; } = "sandbox-" + Guid.NewGuid().ToString("N");

        /// <summary>Only tokens issued for the AKS Entra server application are accepted (local accounts off).</summary>
        public bool EntraOnly { get; set; }

        /// <summary>Installs the CRDs of a folder (e.g. ../shared/fixtures/keda/crds) as if applied.</summary>
        public int LoadCustomResourceDefinitions(string directory)
        {
            int count = 0;
            foreach (string file in Directory.GetFiles(directory, "*.yaml").OrderBy(f => f, StringComparer.Ordinal))
            {
                foreach (JsonNode? document in YamlJson.Documents(File.ReadAllText(file)))
                {
                    if (document is JsonObject crd && crd["kind"]?.GetValue<string>() == "CustomResourceDefinition")
                    {
                        lock (_lock)
                        {
                            string name = crd["metadata"]!["name"]!.GetValue<string>();
                            Store(Key(_types[5], null, name), Stamp(crd, created: true));
                            Register(crd);
                        }

                        count++;
                    }
                }
            }

            return count;
        }

        /// <summary>Creates a running pod (if missing) with labels, and appends lines to its log.</summary>
        public void AddPodLog(string ns, string pod, IDictionary<string, string> labels, IEnumerable<(DateTimeOffset Time, string Line)> lines)
        {
            lock (_lock)
            {
                ResourceType pods = _types.First(t => t.Plural == "pods");
                string key = Key(pods, ns, pod);
                if (!_objects.ContainsKey(Key(_types[0], null, ns)))
                {
                    Store(Key(_types[0], null, ns), Stamp(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = ns } }, created: true));
                }

                if (!_objects.ContainsKey(key))
                {
                    var labelObject = new JsonObject();
                    foreach (KeyValuePair<string, string> label in labels)
                    {
                        labelObject[label.Key] = label.Value;
                    }

                    Store(key, Stamp(new JsonObject
                    {
                        ["apiVersion"] = "v1", ["kind"] = "Pod",
                        ["metadata"] = new JsonObject { ["name"] = pod, ["labels"] = labelObject },
                        ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "keda-operator", ["image"] = "ghcr.io/kedacore/keda:2.20.2" }) },
                        ["status"] = new JsonObject { ["phase"] = "Running" },
                    }, created: true));
                }

                if (!_logs.TryGetValue(key, out var log))
                {
                    log = new List<(DateTimeOffset, string)>();
                    _logs[key] = log;
                }

                log.AddRange(lines);
            }
        }

        /// <summary>One KEDA polling cycle as seen from an operator pod; set by the sandbox (see KedaOperatorSimulator).</summary>
        public Func<JsonObject, IEnumerable<string>>? OperatorCycle { get; set; }

        /// <summary>Objects of a kind in every namespace (for the operator simulation; callers hold no lock).</summary>
        public IReadOnlyList<JsonObject> All(string plural)
        {
            lock (_lock)
            {
                return _objects.Where(p => p.Key.Split('|')[1] == plural).Select(p => (JsonObject)p.Value.DeepClone()).ToList();
            }
        }

        public JsonObject? Get(string apiVersion, string plural, string? ns, string name)
        {
            lock (_lock)
            {
                ResourceType? type = _types.FirstOrDefault(t => t.ApiVersion == apiVersion && t.Plural == plural);
                return type is not null && _objects.TryGetValue(Key(type, ns, name), out JsonObject? found) ? (JsonObject)found.DeepClone() : null;
            }
        }

        public int Count(string plural) { lock (_lock) { return _objects.Keys.Count(k => k.Split('|')[1] == plural); } }

        public static bool Handles(string path) => path.TrimEnd('/') == "/version" || path.StartsWith("/openapi/", StringComparison.Ordinal) || path == "/api" || path.StartsWith("/api/", StringComparison.Ordinal) || path == "/apis" || path.StartsWith("/apis/", StringComparison.Ordinal);

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
            lock (_lock)
            {
                return Handle(context, path, method, body);
            }
        }

        /// <summary>A GET with watch=true: answered as a stream of watch events, not a list.</summary>
        public static bool IsWatch(HttpContext context) =>
            HttpMethods.IsGet(context.Request.Method) && context.Request.Query["watch"].ToString() is "true" or "1";

        /// <summary>
        /// Streams watch events (newline-delimited JSON, as the API server does) for one resource type, filtered by
        /// namespace, labelSelector and a metadata.name fieldSelector. Changes are found by comparing snapshots, so
        /// clients see every object's latest state (intermediate states may merge, as a compacted watch cache's do).
        /// Honours resourceVersion, sendInitialEvents (with the initial-events-end bookmark) and timeoutSeconds.
        /// </summary>
        public async Task WatchAsync(HttpContext context, string path)
        {
            string[] segments = path.Trim('/').Split('/');
            bool core = segments[0] == "api";
            int versionIndex = core ? 1 : 2;
            string[] rest = segments.Skip(versionIndex + 1).ToArray();
            string? ns = rest.Length >= 3 && rest[0] == "namespaces" ? rest[1] : null;
            string plural = ns is null ? (rest.Length > 0 ? rest[0] : string.Empty) : rest[2];
            string group = core ? string.Empty : (segments.Length > 1 ? segments[1] : string.Empty);
            string version = segments.Length > versionIndex ? segments[versionIndex] : string.Empty;
            ResourceType? type;
            lock (_lock)
            {
                type = _types.FirstOrDefault(t => t.Group == group && t.Version == version && t.Plural == plural);
            }

            if (type is null)
            {
                (int code, JsonNode? error) = NotFound("the server could not find the requested resource");
                context.Response.StatusCode = code;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(error!.ToJsonString()).ConfigureAwait(false);
                return;
            }

            IQueryCollection query = context.Request.Query;
            var labels = query["labelSelector"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Replace("==", "=").Split('=', 2)).Where(p => p.Length == 2).ToList();
            string? fieldName = query["fieldSelector"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries)
                .Select(p => p.Replace("==", "=").Split('=', 2)).Where(p => p.Length == 2 && p[0] == "metadata.name").Select(p => p[1]).FirstOrDefault();
            string prefix = $"{type.Group}|{type.Plural}|{(type.Namespaced && ns is not null ? ns + "|" : string.Empty)}";
            bool initialEvents = query["sendInitialEvents"].ToString() == "true";
            string since = query["resourceVersion"].ToString();
            int timeout = int.TryParse(query["timeoutSeconds"], out int seconds) && seconds > 0 ? Math.Min(seconds, 600) : 300;

            Dictionary<string, JsonObject> Snapshot()
            {
                lock (_lock)
                {
                    Refresh();
                    return _objects.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal)
                            && (fieldName is null || p.Value["metadata"]?["name"]?.GetValue<string>() == fieldName)
                            && labels.All(s => p.Value["metadata"]?["labels"]?[s[0]]?.GetValue<string>() == s[1]))
                        .ToDictionary(p => p.Key, p => (JsonObject)p.Value.DeepClone(), StringComparer.Ordinal);
                }
            }

            static string Version(JsonObject obj) => obj["metadata"]?["resourceVersion"]?.GetValue<string>() ?? "0";

            Dictionary<string, JsonObject> known = Snapshot();
            if (initialEvents || since.Length == 0 || since == "0")
            {
                known = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
            }
            else if (long.TryParse(since, out long from))
            {
                // The client listed at 'from': it already knows what has not changed since.
                known = known.Where(p => long.Parse(Version(p.Value), CultureInfo.InvariantCulture) <= from).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
            }

            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json";
            CancellationToken aborted = context.RequestAborted;
            DateTimeOffset end = DateTimeOffset.UtcNow.AddSeconds(timeout);
            bool first = true;
            try
            {
                while (!aborted.IsCancellationRequested && DateTimeOffset.UtcNow < end)
                {
                    Dictionary<string, JsonObject> now = Snapshot();
                    var events = new List<(string Type, JsonObject Object)>();
                    foreach ((string key, JsonObject obj) in now)
                    {
                        if (!known.TryGetValue(key, out JsonObject? before))
                        {
                            events.Add(("ADDED", obj));
                        }
                        else if (Version(before) != Version(obj))
                        {
                            events.Add(("MODIFIED", obj));
                        }
                    }

                    events.AddRange(known.Where(p => !now.ContainsKey(p.Key)).Select(p => ("DELETED", p.Value)));
                    if (first && initialEvents)
                    {
                        string current;
                        lock (_lock)
                        {
                            current = _resourceVersion.ToString(CultureInfo.InvariantCulture);
                        }

                        events.Add(("BOOKMARK", new JsonObject
                        {
                            ["apiVersion"] = type.ApiVersion, ["kind"] = type.Kind,
                            ["metadata"] = new JsonObject { ["resourceVersion"] = current, ["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" } },
                        }));
                    }

                    first = false;
                    known = now;
                    if (events.Count > 0 || !context.Response.HasStarted)
                    {
                        var text = new System.Text.StringBuilder();
                        foreach ((string kind, JsonObject obj) in events)
                        {
                            text.Append(new JsonObject { ["type"] = kind, ["object"] = obj.DeepClone() }.ToJsonString()).Append('\n');
                        }

                        await context.Response.WriteAsync(text.ToString(), aborted).ConfigureAwait(false);
                        await context.Response.Body.FlushAsync(aborted).ConfigureAwait(false);
                    }

                    await Task.Delay(100, aborted).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
                // The client went away.
            }
        }

        private (int, JsonNode?) Handle(HttpContext context, string path, string method, string body)
        {
            path = path.Length > 1 ? path.TrimEnd('/') : path;
            if (path == "/version")
            {
                Match m = Regex.Match(GitVersion, @"^v(\d+)\.(\d+)");
                return (200, new JsonObject { ["major"] = m.Groups[1].Value, ["minor"] = m.Groups[2].Value, ["gitVersion"] = GitVersion, ["platform"] = "linux/amd64" });
            }

            if (path == "/api")
            {
                return (200, new JsonObject { ["kind"] = "APIVersions", ["versions"] = new JsonArray("v1") });
            }

            if (path.StartsWith("/openapi/v3", StringComparison.Ordinal))
            {
                return OpenApiV3(path);
            }

            if (path == "/apis")
            {
                var groups = new JsonArray();
                foreach (IGrouping<string, ResourceType> served in _types.Where(t => t.Group.Length > 0).GroupBy(t => t.Group))
                {
                    var versions = new JsonArray(served.Select(t => t.Version).Distinct().Select(v => (JsonNode)new JsonObject { ["groupVersion"] = $"{served.Key}/{v}", ["version"] = v }).ToArray());
                    groups.Add(new JsonObject { ["name"] = served.Key, ["versions"] = versions, ["preferredVersion"] = versions[0]!.DeepClone() });
                }

                return (200, new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = groups });
            }

            string[] segments = path.Trim('/').Split('/');
            bool core = segments[0] == "api";
            int versionIndex = core ? 1 : 2;
            if (segments.Length <= versionIndex)
            {
                return NotFound("the server could not find the requested resource");
            }

            string apiGroup = core ? string.Empty : segments[1];
            string version = segments[versionIndex];
            string[] rest = segments.Skip(versionIndex + 1).ToArray();
            if (rest.Length == 0)
            {
                return Discovery(apiGroup, version);
            }

            string? ns = null;
            string plural;
            string? name;
            string? subresource;
            if (rest[0] == "namespaces" && rest.Length >= 3)
            {
                ns = rest[1];
                plural = rest[2];
                name = rest.Length > 3 ? rest[3] : null;
                subresource = rest.Length > 4 ? rest[4] : null;
            }
            else
            {
                plural = rest[0];
                name = rest.Length > 1 ? rest[1] : null;
                subresource = rest.Length > 2 ? rest[2] : null;
            }

            ResourceType? type = _types.FirstOrDefault(t => t.Group == apiGroup && t.Version == version && t.Plural == plural);
            if (type?.Plural == "pods" && subresource == "log" && method == "GET" && name is not null)
            {
                return PodLog(type, ns!, name, context);
            }

            if (type?.Plural == "serviceaccounts" && subresource == "token" && method == "POST" && name is not null)
            {
                return TokenRequest(type, ns!, name, body);
            }

            if (type is null || (subresource is not null && subresource != "status") || (!type.Namespaced && ns is not null))
            {
                return NotFound("the server could not find the requested resource");
            }

            Refresh();
            switch (method)
            {
                case "GET" when name is null:
                    return List(type, ns, context.Request.Query["labelSelector"]);
                case "GET":
                    return _objects.TryGetValue(Key(type, ns, name), out JsonObject? found) ? (200, found.DeepClone()) : ObjectNotFound(type, name);
                case "DELETE" when name is not null:
                    return Delete(type, ns, name, DryRun(context));
                case "POST" or "PUT" or "PATCH":
                    return Write(method, type, ns, name, body, context);
                default:
                    return Status(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
            }
        }

        private (int, JsonNode?) Write(string method, ResourceType type, string? ns, string? name, string body, HttpContext context)
        {
            string mediaType = context.Request.ContentType ?? string.Empty;
            if ((mediaType.Contains("protobuf", StringComparison.Ordinal) && !body.StartsWith('{')) || mediaType.Contains("cbor", StringComparison.Ordinal))
            {
                // The stand-in speaks JSON and YAML only; clients fall back when told so.
                return Status(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/apply-patch+yaml, application/merge-patch+json (got {mediaType})");
            }

            JsonObject? obj;
            try
            {
                obj = body.TrimStart().StartsWith('{') ? JsonNode.Parse(body) as JsonObject : YamlJson.Documents(body).FirstOrDefault() as JsonObject;
            }
            catch (Exception exception) when (exception is System.Text.Json.JsonException or YamlDotNet.Core.YamlException)
            {
                return Status(400, "BadRequest", $"the object provided is unrecognized: {exception.Message}");
            }

            if (obj is null)
            {
                return Status(400, "BadRequest", "the request body is empty or not an object");
            }

            bool dryRun = DryRun(context);
            string contentType = context.Request.ContentType ?? string.Empty;
            string? manager = context.Request.Query["fieldManager"];
            return method switch
            {
                "POST" when name is null => Create(type, ns, obj, manager ?? "unknown", dryRun),
                "PUT" when name is not null => Replace(type, ns, name, obj, manager ?? "unknown", dryRun),
                "PATCH" when name is not null && contentType.StartsWith("application/apply-patch", StringComparison.Ordinal) =>
                    Apply(type, ns, name, obj, manager, context.Request.Query["force"] == "true", dryRun),
                "PATCH" when name is not null => MergePatch(type, ns, name, obj, manager ?? "unknown", dryRun),
                _ => Status(405, "MethodNotAllowed", "the server does not allow this method on the requested resource"),
            };
        }

        /// <summary>GET .../pods/&lt;name&gt;/log with sinceSeconds, tailLines and timestamps, as text.</summary>
        private (int, JsonNode?) PodLog(ResourceType type, string ns, string name, HttpContext context)
        {
            string key = Key(type, ns, name);
            if (!_objects.ContainsKey(key))
            {
                return ObjectNotFound(type, name);
            }

            JsonObject pod = _objects[key];
            if (OperatorCycle is not null && pod["metadata"]?["labels"]?["app"]?.GetValue<string>() == "keda-operator")
            {
                // The operator has run one polling cycle since the last read: its lines come from the real state.
                if (!_logs.TryGetValue(key, out var existing))
                {
                    existing = new List<(DateTimeOffset, string)>();
                    _logs[key] = existing;
                }

                existing.AddRange(OperatorCycle(pod).Select(line => (DateTimeOffset.UtcNow, line)));
            }

            IEnumerable<(DateTimeOffset Time, string Line)> lines = _logs.TryGetValue(key, out var log) ? log : Enumerable.Empty<(DateTimeOffset, string)>();
            if (long.TryParse(context.Request.Query["sinceSeconds"], out long since))
            {
                lines = lines.Where(l => l.Time >= DateTimeOffset.UtcNow.AddSeconds(-since));
            }

            if (int.TryParse(context.Request.Query["tailLines"], out int tail))
            {
                lines = lines.TakeLast(tail);
            }

            bool timestamps = context.Request.Query["timestamps"] == "true";
            string text = string.Concat(lines.Select(l => (timestamps ? l.Time.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture) + " " : string.Empty) + l.Line + "\n"));
            return (200, JsonValue.Create(text));
        }

        /// <summary>POST .../serviceaccounts/&lt;name&gt;/token: a bound token for the requested audiences.</summary>
        private (int, JsonNode?) TokenRequest(ResourceType type, string ns, string name, string body)
        {
            if (!_objects.TryGetValue(Key(type, ns, name), out JsonObject? account))
            {
                return ObjectNotFound(type, name);
            }

            JsonNode? spec = (body.Length > 0 ? JsonNode.Parse(body) : null)?["spec"];
            string[] audiences = (spec?["audiences"] as JsonArray)?.Select(a => a!.GetValue<string>()).ToArray() is { Length: > 0 } given ? given : new[] { "https://kubernetes.default.svc.cluster.local" };
            long seconds = long.TryParse(spec?["expirationSeconds"]?.ToJsonString(), out long requested) ? Math.Max(600, requested) : 3600;
            string token = (ServiceAccountTokens ?? throw new InvalidOperationException("No token signer.")).Issue(ns, name, account["metadata"]!["uid"]!.GetValue<string>(), audiences, TimeSpan.FromSeconds(seconds));
            return (201, new JsonObject
            {
                ["kind"] = "TokenRequest", ["apiVersion"] = "authentication.k8s.io/v1",
                ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["creationTimestamp"] = null },
                ["spec"] = new JsonObject { ["audiences"] = new JsonArray(audiences.Select(a => (JsonNode)JsonValue.Create(a)!).ToArray()), ["expirationSeconds"] = seconds },
                ["status"] = new JsonObject { ["token"] = token, ["expirationTimestamp"] = DateTimeOffset.UtcNow.AddSeconds(seconds).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) },
            });
        }

        /// <summary>
        /// OpenAPI v3, as much as clients need to learn that the server validates fields itself (fieldValidation on
        /// PATCH for every kind): kubectl and Helm then skip client-side schema validation.
        /// </summary>
        private (int, JsonNode?) OpenApiV3(string path)
        {
            var groupVersions = _types.Select(t => t.Group.Length == 0 ? $"api/{t.Version}" : $"apis/{t.Group}/{t.Version}").Distinct().ToList();
            if (path.TrimEnd('/') == "/openapi/v3")
            {
                var paths = new JsonObject();
                foreach (string gv in groupVersions)
                {
                    paths[gv] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{gv}?hash={_resourceVersion}" };
                }

                return (200, new JsonObject { ["paths"] = paths });
            }

            string wanted = path.Substring("/openapi/v3/".Length).TrimEnd('/');
            if (!groupVersions.Contains(wanted))
            {
                return NotFound("the server could not find the requested resource");
            }

            var operations = new JsonObject();
            foreach (ResourceType type in _types.Where(t => (t.Group.Length == 0 ? $"api/{t.Version}" : $"apis/{t.Group}/{t.Version}") == wanted))
            {
                string prefix = type.Group.Length == 0 ? $"/api/{type.Version}" : $"/apis/{type.Group}/{type.Version}";
                string item = type.Namespaced ? $"{prefix}/namespaces/{{namespace}}/{type.Plural}/{{name}}" : $"{prefix}/{type.Plural}/{{name}}";
                operations[item] = new JsonObject
                {
                    ["patch"] = new JsonObject
                    {
                        ["operationId"] = $"patch{type.Kind}",
                        ["x-kubernetes-action"] = "patch",
                        ["x-kubernetes-group-version-kind"] = new JsonObject { ["group"] = type.Group, ["version"] = type.Version, ["kind"] = type.Kind },
                        ["parameters"] = new JsonArray(
                            new JsonObject { ["name"] = "fieldValidation", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true } },
                            new JsonObject { ["name"] = "fieldManager", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true } },
                            new JsonObject { ["name"] = "dryRun", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true } }),
                        ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
                    },
                };
            }

            return (200, new JsonObject
            {
                ["openapi"] = "3.0.0",
                ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = GitVersion },
                ["paths"] = operations,
                ["components"] = new JsonObject { ["schemas"] = new JsonObject() },
            });
        }

        private (int, JsonNode?) Discovery(string group, string version)
        {
            List<ResourceType> types = _types.Where(t => t.Group == group && t.Version == version).ToList();
            if (types.Count == 0)
            {
                return NotFound("the server could not find the requested resource");
            }

            var resources = new JsonArray(types.Select(t => (JsonNode)new JsonObject
            {
                ["name"] = t.Plural, ["singularName"] = t.Kind.ToLowerInvariant(), ["namespaced"] = t.Namespaced, ["kind"] = t.Kind,
                ["verbs"] = new JsonArray("create", "delete", "get", "list", "patch", "update", "watch"),
            }).ToArray());
            return (200, new JsonObject { ["kind"] = "APIResourceList", ["apiVersion"] = "v1", ["groupVersion"] = types[0].ApiVersion, ["resources"] = resources });
        }

        private (int, JsonNode?) List(ResourceType type, string? ns, string? labelSelector)
        {
            var selector = (labelSelector ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToList();
            var items = _objects.Where(p => p.Key.StartsWith($"{type.Group}|{type.Plural}|{(type.Namespaced && ns is not null ? ns : string.Empty)}|", StringComparison.Ordinal) || (type.Namespaced && ns is null && p.Key.StartsWith($"{type.Group}|{type.Plural}|", StringComparison.Ordinal)))
                .Select(p => p.Value)
                .Where(o => selector.All(s => o["metadata"]?["labels"]?[s[0]]?.GetValue<string>() == s[1]))
                .OrderBy(o => o["metadata"]!["namespace"]?.GetValue<string>(), StringComparer.Ordinal).ThenBy(o => o["metadata"]!["name"]!.GetValue<string>(), StringComparer.Ordinal)
                .Select(o => (JsonNode)o.DeepClone()).ToArray();
            return (200, new JsonObject
            {
                ["apiVersion"] = type.ApiVersion, ["kind"] = type.Kind + "List",
                ["metadata"] = new JsonObject { ["resourceVersion"] = _resourceVersion.ToString(CultureInfo.InvariantCulture) },
                ["items"] = new JsonArray(items),
            });
        }

        private (int, JsonNode?) Create(ResourceType type, string? ns, JsonObject obj, string manager, bool dryRun)
        {
            string? name = obj["metadata"]?["name"]?.GetValue<string>();
            if (Check(type, ns, name, obj) is { } problem)
            {
                return problem;
            }

            string key = Key(type, ns, name!);
            if (type.Namespaced && !_objects.ContainsKey(Key(_types[0], null, ns!)))
            {
                return Status(404, "NotFound", $"namespaces \"{ns}\" not found", ns, _types[0]);
            }

            if (_objects.ContainsKey(key))
            {
                return Status(409, "AlreadyExists", $"{type.Qualified} \"{name}\" already exists", name, type);
            }

            if (Admit(type, obj) is { } invalid)
            {
                return invalid;
            }

            JsonObject stored = Stamp(obj, created: true);
            if (!dryRun)
            {
                Own(key, manager, "Update", Leaves(obj));
                Store(key, stored);
                AfterWrite(type, stored);
            }

            return (201, WithManagedFields(key, stored.DeepClone().AsObject()));
        }

        private (int, JsonNode?) Replace(ResourceType type, string? ns, string name, JsonObject obj, string manager, bool dryRun)
        {
            if (Check(type, ns, name, obj) is { } problem)
            {
                return problem;
            }

            string key = Key(type, ns, name);
            if (!_objects.TryGetValue(key, out JsonObject? current))
            {
                return ObjectNotFound(type, name);
            }

            string? expected = obj["metadata"]?["resourceVersion"]?.GetValue<string>();
            if (!string.IsNullOrEmpty(expected) && expected != current["metadata"]!["resourceVersion"]!.GetValue<string>())
            {
                return Status(409, "Conflict", $"Operation cannot be fulfilled on {type.Qualified} \"{name}\": the object has been modified; please apply your changes to the latest version and try again", name, type);
            }

            if (Admit(type, obj) is { } invalid)
            {
                return invalid;
            }

            return Commit(type, key, current, obj, manager, "Update", Leaves(obj), dryRun, replaceOwners: false);
        }

        private (int, JsonNode?) MergePatch(ResourceType type, string? ns, string name, JsonObject patch, string manager, bool dryRun)
        {
            string key = Key(type, ns, name);
            if (!_objects.TryGetValue(key, out JsonObject? current))
            {
                return ObjectNotFound(type, name);
            }

            var merged = (JsonObject)current.DeepClone();
            Merge(merged, patch);
            if (Admit(type, merged) is { } invalid)
            {
                return invalid;
            }

            return Commit(type, key, current, merged, manager, "Update", Leaves(patch), dryRun, replaceOwners: false);
        }

        /// <summary>Server-side apply: field ownership per manager, conflicts unless forced, fields the manager dropped are removed.</summary>
        private (int, JsonNode?) Apply(ResourceType type, string? ns, string name, JsonObject applied, string? manager, bool force, bool dryRun)
        {
            if (string.IsNullOrEmpty(manager))
            {
                return Status(400, "BadRequest", "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch");
            }

            if (Check(type, ns, name, applied) is { } problem)
            {
                return problem;
            }

            string key = Key(type, ns, name);
            HashSet<string> leaves = Leaves(applied);
            _objects.TryGetValue(key, out JsonObject? current);
            Dictionary<string, (string Operation, HashSet<string> Paths)> owners = _owners.TryGetValue(key, out var known) ? known : new();
            if (current is not null && !force)
            {
                var conflicts = new List<(string Manager, string Path)>();
                foreach (string path in leaves)
                {
                    JsonNode? have = Read(current, path);
                    if (have is not null && !JsonNode.DeepEquals(have, Read(applied, path)))
                    {
                        conflicts.AddRange(owners.Where(o => o.Key != manager && o.Value.Paths.Contains(path)).Select(o => (o.Key, path)));
                    }
                }

                if (conflicts.Count > 0)
                {
                    string list = string.Join("\n", conflicts.Select(c => $"- conflict with \"{c.Manager}\": .{c.Path}"));
                    return Status(409, "Conflict", $"Apply failed with {conflicts.Count} conflict{(conflicts.Count > 1 ? "s" : string.Empty)}: {string.Join("; ", conflicts.Select(c => $"conflict with \"{c.Manager}\": .{c.Path}"))}", name, type);
                }
            }

            var result = current is null ? new JsonObject() : (JsonObject)current.DeepClone();
            if (current is not null && owners.TryGetValue(manager, out var previous))
            {
                foreach (string dropped in previous.Paths.Where(p => !leaves.Contains(p) && !owners.Any(o => o.Key != manager && o.Value.Paths.Contains(p))))
                {
                    Remove(result, dropped);
                }
            }

            Merge(result, applied);
            if (Admit(type, result) is { } invalid)
            {
                return invalid;
            }

            if (current is null)
            {
                if (type.Namespaced && !_objects.ContainsKey(Key(_types[0], null, ns!)))
                {
                    return Status(404, "NotFound", $"namespaces \"{ns}\" not found", ns, _types[0]);
                }

                JsonObject stored = Stamp(result, created: true);
                if (!dryRun)
                {
                    Own(key, manager, "Apply", leaves, force);
                    Store(key, stored);
                    AfterWrite(type, stored);
                }

                return (201, WithManagedFields(key, stored.DeepClone().AsObject(), dryRun ? (manager, leaves) : null));
            }

            return Commit(type, key, current, result, manager, "Apply", leaves, dryRun, replaceOwners: force);
        }

        private (int, JsonNode?) Commit(ResourceType type, string key, JsonObject current, JsonObject next, string manager, string operation, HashSet<string> paths, bool dryRun, bool replaceOwners)
        {
            next["metadata"] ??= new JsonObject();
            foreach (string kept in new[] { "uid", "creationTimestamp", "resourceVersion", "generation", "namespace", "name" })
            {
                if (current["metadata"]![kept] is JsonNode value)
                {
                    next["metadata"]![kept] = value.DeepClone();
                }
            }

            next["metadata"]!.AsObject().Remove("managedFields");
            if (JsonNode.DeepEquals(Comparable(current), Comparable(next)))
            {
                if (!dryRun)
                {
                    Own(key, manager, operation, paths, replaceOwners);
                }

                return (200, WithManagedFields(key, current.DeepClone().AsObject()));
            }

            if (!JsonNode.DeepEquals(current["spec"], next["spec"]))
            {
                long generation = long.TryParse(current["metadata"]!["generation"]?.ToJsonString(), out long known) ? known : 1;
                next["metadata"]!["generation"] = generation + 1;
            }

            if (dryRun)
            {
                return (200, next);
            }

            next["metadata"]!["resourceVersion"] = (++_resourceVersion).ToString(CultureInfo.InvariantCulture);
            Own(key, manager, operation, paths, replaceOwners);
            Store(key, next);
            AfterWrite(type, next);
            return (200, WithManagedFields(key, next.DeepClone().AsObject()));
        }

        private (int, JsonNode?) Delete(ResourceType type, string? ns, string name, bool dryRun)
        {
            string key = Key(type, ns, name);
            if (!_objects.TryGetValue(key, out JsonObject? current))
            {
                return ObjectNotFound(type, name);
            }

            if (!dryRun)
            {
                _objects.Remove(key);
                _owners.Remove(key);
                if (type.Plural == "namespaces")
                {
                    foreach (string child in _objects.Keys.Where(k => k.Split('|')[2] == name).ToList())
                    {
                        _objects.Remove(child);
                        _owners.Remove(child);
                    }
                }

                if (type.Plural == "customresourcedefinitions")
                {
                    string group = current["spec"]!["group"]!.GetValue<string>();
                    string plural = current["spec"]!["names"]!["plural"]!.GetValue<string>();
                    _types.RemoveAll(t => t.Group == group && t.Plural == plural);
                    foreach (string child in _objects.Keys.Where(k => k.StartsWith($"{group}|{plural}|", StringComparison.Ordinal)).ToList())
                    {
                        _objects.Remove(child);
                    }
                }
            }

            return (200, new JsonObject
            {
                ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Success",
                ["details"] = new JsonObject { ["name"] = name, ["group"] = type.Group, ["kind"] = type.Plural, ["uid"] = current["metadata"]!["uid"]?.DeepClone() },
            });
        }

        /// <summary>Name rules, body/URL agreement, and the namespace's existence for namespaced kinds.</summary>
        private (int, JsonNode?)? Check(ResourceType type, string? ns, string? name, JsonObject obj)
        {
            string? apiVersion = obj["apiVersion"]?.GetValue<string>();
            string? kind = obj["kind"]?.GetValue<string>();
            if (apiVersion != type.ApiVersion || kind != type.Kind)
            {
                return Status(400, "BadRequest", $"the API version in the data ({apiVersion}) does not match the expected API version ({type.ApiVersion})" + (kind != type.Kind ? $", or the kind ({kind}) is not {type.Kind}" : string.Empty));
            }

            string? bodyName = obj["metadata"]?["name"]?.GetValue<string>();
            if (string.IsNullOrEmpty(bodyName) || (name is not null && bodyName != name))
            {
                return Status(400, "BadRequest", string.IsNullOrEmpty(bodyName) ? $"{type.Kind} in version \"{type.Version}\" cannot be handled as a {type.Kind}: name is required" : "the name of the object does not match the name on the URL", name, type);
            }

            Regex rule = type.Plural is "namespaces" ? Label : Subdomain;
            if (!rule.IsMatch(bodyName) || bodyName.Length > (type.Plural is "namespaces" ? 63 : 253))
            {
                string what = type.Plural is "namespaces" ? "a lowercase RFC 1123 label" : "a lowercase RFC 1123 subdomain";
                return Invalid(type, bodyName, new[] { $"metadata.name: Invalid value: \"{bodyName}\": {what} must consist of lower case alphanumeric characters, '-'{(type.Plural is "namespaces" ? string.Empty : " or '.'")}, and must start and end with an alphanumeric character" });
            }

            if (type.Namespaced)
            {
                string? bodyNamespace = obj["metadata"]?["namespace"]?.GetValue<string>();
                if (!string.IsNullOrEmpty(bodyNamespace) && bodyNamespace != ns)
                {
                    return Status(400, "BadRequest", "the namespace of the provided object does not match the namespace sent on the request", name, type);
                }
            }

            return null;
        }

        /// <summary>Prunes and validates custom objects against their CRD schema (422 Invalid), and CRDs themselves.</summary>
        private (int, JsonNode?)? Admit(ResourceType type, JsonObject obj)
        {
            if (type.Schema is null)
            {
                return null;
            }

            SchemaValidator.Prune(obj["spec"], type.Schema["properties"]?["spec"] as JsonObject);
            List<string> errors = SchemaValidator.Validate(obj, type.Schema);
            return errors.Count == 0 ? null : Invalid(type, obj["metadata"]?["name"]?.GetValue<string>() ?? string.Empty, errors);
        }

        private void AfterWrite(ResourceType type, JsonObject stored)
        {
            if (type.Plural == "customresourcedefinitions")
            {
                Register(stored);
            }

            if (type.Plural == "deployments")
            {
                Rollout(stored);
            }

            if (type.Plural == "services" && stored["spec"] is JsonObject spec && spec["clusterIP"] is null && spec["type"]?.GetValue<string>() != "ExternalName")
            {
                // The service IP allocator.
                string ip = $"10.0.{(_resourceVersion / 250) % 250}.{_resourceVersion % 250 + 2}";
                spec["clusterIP"] = ip;
                spec["clusterIPs"] = new JsonArray(ip);
                spec["type"] ??= "ClusterIP";
            }
        }

        /// <summary>
        /// A deployment controller and kubelet in one: the pods of a (re)written Deployment are replaced by new ones
        /// from its template (mutated by the workload identity webhook when it runs), and the Deployment becomes
        /// available when the simulated rollout ends.
        /// </summary>
        private void Rollout(JsonObject deployment)
        {
            string ns = deployment["metadata"]!["namespace"]!.GetValue<string>();
            string name = deployment["metadata"]!["name"]!.GetValue<string>();
            ResourceType pods = _types.First(t => t.Plural == "pods");
            string owner = deployment["metadata"]!["uid"]!.GetValue<string>();
            foreach (string key in _objects.Where(p => p.Key.StartsWith($"|pods|{ns}|", StringComparison.Ordinal)
                && p.Value["metadata"]?["ownerReferences"]?[0]?["uid"]?.GetValue<string>() == owner).Select(p => p.Key).ToList())
            {
                _objects.Remove(key);
            }

            int replicas = int.TryParse(deployment["spec"]?["replicas"]?.ToJsonString(), out int count) ? count : 1;
            string hash = Math.Abs((deployment["spec"]?["template"]?.ToJsonString() ?? string.Empty).GetHashCode()).ToString("x", CultureInfo.InvariantCulture).PadLeft(8, '0').Substring(0, 8);
            DateTimeOffset ready = DateTimeOffset.UtcNow + RolloutDuration;
            for (int i = 0; i < replicas; i++)
            {
                JsonObject template = deployment["spec"]?["template"]?.DeepClone() as JsonObject ?? new JsonObject();
                var pod = new JsonObject
                {
                    ["apiVersion"] = "v1", ["kind"] = "Pod",
                    ["metadata"] = template["metadata"]?.DeepClone() ?? new JsonObject(),
                    ["spec"] = template["spec"]?.DeepClone() ?? new JsonObject(),
                };
                string podName = $"{name}-{hash}-{Guid.NewGuid().ToString("N").Substring(0, 5)}";
                pod["metadata"]!["name"] = podName;
                ((JsonObject)pod["metadata"]!)["ownerReferences"] = new JsonArray(new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["name"] = name, ["uid"] = owner, ["controller"] = true });
                pod["status"] = new JsonObject { ["phase"] = "Pending" };
                MutateForWorkloadIdentity(ns, pod);
                string key = Key(pods, ns, podName);
                Store(key, Stamp(pod, created: true));
                _readyAt[key] = ready;
            }

            // The ReplicaSet for this template (what helm's readiness check looks up), replacing older ones.
            ResourceType replicaSets = _types.First(t => t.Plural == "replicasets");
            foreach (string key in _objects.Where(p => p.Key.StartsWith($"apps|replicasets|{ns}|", StringComparison.Ordinal)
                && p.Value["metadata"]?["ownerReferences"]?[0]?["uid"]?.GetValue<string>() == owner).Select(p => p.Key).ToList())
            {
                _objects.Remove(key);
                _readyAt.Remove(key);
            }

            JsonObject rsTemplate = deployment["spec"]?["template"]?.DeepClone() as JsonObject ?? new JsonObject();
            JsonObject rsMetadata = rsTemplate["metadata"] as JsonObject ?? new JsonObject();
            rsTemplate["metadata"] = rsMetadata;
            JsonObject rsLabels = rsMetadata["labels"] as JsonObject ?? new JsonObject();
            rsMetadata["labels"] = rsLabels;
            rsLabels["pod-template-hash"] = hash;
            JsonObject selector = deployment["spec"]?["selector"]?.DeepClone() as JsonObject ?? new JsonObject();
            JsonObject matchLabels = selector["matchLabels"] as JsonObject ?? new JsonObject();
            selector["matchLabels"] = matchLabels;
            matchLabels["pod-template-hash"] = hash;
            var replicaSet = new JsonObject
            {
                ["apiVersion"] = "apps/v1", ["kind"] = "ReplicaSet",
                ["metadata"] = new JsonObject
                {
                    ["name"] = $"{name}-{hash}", ["namespace"] = ns, ["labels"] = rsLabels.DeepClone(),
                    ["ownerReferences"] = new JsonArray(new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["name"] = name, ["uid"] = owner, ["controller"] = true, ["blockOwnerDeletion"] = true }),
                },
                ["spec"] = new JsonObject { ["replicas"] = replicas, ["selector"] = selector, ["template"] = rsTemplate },
                ["status"] = new JsonObject { ["replicas"] = replicas, ["observedGeneration"] = 1 },
            };
            string rsKey = Key(replicaSets, ns, $"{name}-{hash}");
            Store(rsKey, Stamp(replicaSet, created: true));
            _readyAt[rsKey] = ready;

            deployment["status"] = new JsonObject
            {
                ["observedGeneration"] = deployment["metadata"]!["generation"]?.DeepClone(), ["replicas"] = replicas, ["updatedReplicas"] = replicas, ["unavailableReplicas"] = replicas,
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Progressing", ["status"] = "True", ["reason"] = "ReplicaSetUpdated" }, new JsonObject { ["type"] = "Available", ["status"] = "False", ["reason"] = "MinimumReplicasUnavailable" }),
            };
            _readyAt[Key(_types.First(t => t.Plural == "deployments"), ns, name)] = ready;
        }

        /// <summary>What the azure-workload-identity webhook does to a pod labelled azure.workload.identity/use: "true".</summary>
        private void MutateForWorkloadIdentity(string ns, JsonObject pod)
        {
            if (pod["metadata"]?["labels"]?["azure.workload.identity/use"]?.GetValue<string>() != "true" || !WorkloadIdentityEnabled())
            {
                return;
            }

            string account = pod["spec"]?["serviceAccountName"]?.GetValue<string>() ?? "default";
            JsonNode? annotations = _objects.TryGetValue(Key(_types[1], ns, account), out JsonObject? sa) ? sa["metadata"]?["annotations"] : null;
            string? clientId = annotations?["azure.workload.identity/client-id"]?.GetValue<string>();
            string tenant = annotations?["azure.workload.identity/tenant-id"]?.GetValue<string>() ?? TenantId;
            foreach (JsonObject container in (pod["spec"]?["containers"] as JsonArray ?? new JsonArray()).OfType<JsonObject>())
            {
                JsonArray env = container["env"] as JsonArray ?? new JsonArray();
                container["env"] = env;
                if (clientId is not null)
                {
                    env.Add(new JsonObject { ["name"] = "AZURE_CLIENT_ID", ["value"] = clientId });
                }

                env.Add(new JsonObject { ["name"] = "AZURE_TENANT_ID", ["value"] = tenant });
                env.Add(new JsonObject { ["name"] = "AZURE_FEDERATED_TOKEN_FILE", ["value"] = "/var/run/secrets/azure/tokens/azure-identity-token" });
                env.Add(new JsonObject { ["name"] = "AZURE_AUTHORITY_HOST", ["value"] = "https://login.microsoftonline.com/" });
                JsonArray mounts = container["volumeMounts"] as JsonArray ?? new JsonArray();
                container["volumeMounts"] = mounts;
                mounts.Add(new JsonObject { ["name"] = "azure-identity-token", ["mountPath"] = "/var/run/secrets/azure/tokens", ["readOnly"] = true });
            }

            JsonArray volumes = pod["spec"]!["volumes"] as JsonArray ?? new JsonArray();
            pod["spec"]!["volumes"] = volumes;
            volumes.Add(new JsonObject
            {
                ["name"] = "azure-identity-token",
                ["projected"] = new JsonObject
                {
                    ["sources"] = new JsonArray(new JsonObject
                    {
                        ["serviceAccountToken"] = new JsonObject { ["audience"] = "api://AzureADTokenExchange", ["expirationSeconds"] = 3600, ["path"] = "azure-identity-token" },
                    }),
                },
            });
        }

        /// <summary>Finishes rollouts whose time has come: pods Running and Ready, deployments Available.</summary>
        private void Refresh()
        {
            DateTimeOffset now = DateTimeOffset.UtcNow;
            foreach (string key in _readyAt.Where(p => p.Value <= now).Select(p => p.Key).ToList())
            {
                _readyAt.Remove(key);
                if (!_objects.TryGetValue(key, out JsonObject? obj))
                {
                    continue;
                }

                if (obj["kind"]?.GetValue<string>() == "Pod")
                {
                    obj["status"] = new JsonObject
                    {
                        ["phase"] = "Running",
                        ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True" }, new JsonObject { ["type"] = "ContainersReady", ["status"] = "True" }),
                        ["containerStatuses"] = new JsonArray((obj["spec"]?["containers"] as JsonArray ?? new JsonArray()).OfType<JsonObject>()
                            .Select(c => (JsonNode)new JsonObject { ["name"] = c["name"]?.DeepClone(), ["image"] = c["image"]?.DeepClone(), ["ready"] = true, ["restartCount"] = 0, ["started"] = true }).ToArray()),
                    };
                }
                else if (obj["kind"]?.GetValue<string>() == "ReplicaSet")
                {
                    int replicas = int.TryParse(obj["spec"]?["replicas"]?.ToJsonString(), out int count) ? count : 1;
                    obj["status"] = new JsonObject { ["replicas"] = replicas, ["fullyLabeledReplicas"] = replicas, ["readyReplicas"] = replicas, ["availableReplicas"] = replicas, ["observedGeneration"] = 1 };
                }
                else
                {
                    int replicas = int.TryParse(obj["spec"]?["replicas"]?.ToJsonString(), out int count) ? count : 1;
                    obj["status"] = new JsonObject
                    {
                        ["observedGeneration"] = obj["metadata"]!["generation"]?.DeepClone(), ["replicas"] = replicas, ["updatedReplicas"] = replicas, ["readyReplicas"] = replicas, ["availableReplicas"] = replicas,
                        ["conditions"] = new JsonArray(
                            new JsonObject { ["type"] = "Available", ["status"] = "True", ["reason"] = "MinimumReplicasAvailable" },
                            new JsonObject { ["type"] = "Progressing", ["status"] = "True", ["reason"] = "NewReplicaSetAvailable" }),
                    };
                }

                obj["metadata"]!["resourceVersion"] = (++_resourceVersion).ToString(CultureInfo.InvariantCulture);
            }
        }

        private void Register(JsonObject crd)
        {
            JsonNode spec = crd["spec"]!;
            string group = spec["group"]!.GetValue<string>();
            string plural = spec["names"]!["plural"]!.GetValue<string>();
            string kind = spec["names"]!["kind"]!.GetValue<string>();
            bool namespaced = spec["scope"]?.GetValue<string>() != "Cluster";
            _types.RemoveAll(t => t.Group == group && t.Plural == plural);
            foreach (JsonNode? version in spec["versions"]!.AsArray())
            {
                if (version?["served"]?.GetValue<bool>() != false)
                {
                    _types.Add(new ResourceType(group, version!["name"]!.GetValue<string>(), plural, kind, namespaced, version["schema"]?["openAPIV3Schema"]?.DeepClone() as JsonObject));
                }
            }

            crd["status"] = new JsonObject
            {
                ["conditions"] = new JsonArray(
                    new JsonObject { ["type"] = "NamesAccepted", ["status"] = "True", ["reason"] = "NoConflicts", ["message"] = "no conflicts found" },
                    new JsonObject { ["type"] = "Established", ["status"] = "True", ["reason"] = "InitialNamesAccepted", ["message"] = "the initial names have been accepted" }),
                ["acceptedNames"] = spec["names"]!.DeepClone(),
                ["storedVersions"] = new JsonArray(spec["versions"]!.AsArray().Where(v => v?["storage"]?.GetValue<bool>() == true).Select(v => (JsonNode)JsonValue.Create(v!["name"]!.GetValue<string>())!).ToArray()),
            };
        }

        private JsonObject Stamp(JsonObject obj, bool created)
        {
            var stamped = (JsonObject)obj.DeepClone();
            JsonObject metadata = stamped["metadata"] as JsonObject ?? new JsonObject();
            stamped["metadata"] = metadata;
            if (created)
            {
                metadata["uid"] = Guid.NewGuid().ToString("D");
                metadata["creationTimestamp"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
                metadata["generation"] = 1;
            }

            metadata["resourceVersion"] = (++_resourceVersion).ToString(CultureInfo.InvariantCulture);
            metadata.Remove("managedFields");
            return stamped;
        }

        private void Store(string key, JsonObject obj)
        {
            string[] parts = key.Split('|');
            if (parts[2].Length > 0)
            {
                obj["metadata"]!["namespace"] = parts[2];
            }

            _objects[key] = obj;
        }

        private void Own(string key, string manager, string operation, HashSet<string> paths, bool takeFromOthers = false)
        {
            if (!_owners.TryGetValue(key, out var owners))
            {
                owners = new Dictionary<string, (string, HashSet<string>)>(StringComparer.Ordinal);
                _owners[key] = owners;
            }

            foreach (string other in owners.Keys.Where(m => m != manager).ToList())
            {
                if (takeFromOthers || operation == "Update")
                {
                    owners[other].Paths.ExceptWith(paths);
                }
            }

            owners[manager] = (operation, new HashSet<string>(paths, StringComparer.Ordinal));
        }

        private JsonObject WithManagedFields(string key, JsonObject obj, (string Manager, HashSet<string> Paths)? pending = null)
        {
            var entries = new JsonArray();
            IEnumerable<(string Manager, string Operation, HashSet<string> Paths)> owners = _owners.TryGetValue(key, out var known)
                ? known.Select(o => (o.Key, o.Value.Operation, o.Value.Paths)) : Enumerable.Empty<(string, string, HashSet<string>)>();
            if (pending is { } p)
            {
                owners = owners.Append((p.Manager, "Apply", p.Paths));
            }

            foreach ((string manager, string operation, HashSet<string> paths) in owners.Where(o => o.Paths.Count > 0))
            {
                var fields = new JsonObject();
                foreach (string path in paths)
                {
                    JsonObject node = fields;
                    foreach (string part in path.Split('.'))
                    {
                        node = (node["f:" + part] ??= new JsonObject()).AsObject();
                    }
                }

                entries.Add(new JsonObject
                {
                    ["manager"] = manager, ["operation"] = operation, ["apiVersion"] = obj["apiVersion"]?.DeepClone(),
                    ["time"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture), ["fieldsType"] = "FieldsV1", ["fieldsV1"] = fields,
                });
            }

            obj["metadata"]!["managedFields"] = entries;
            return obj;
        }

        /// <summary>Paths of the fields an object sets (lists are atomic), metadata identity and status left out.</summary>
        private static HashSet<string> Leaves(JsonObject obj)
        {
            var leaves = new HashSet<string>(StringComparer.Ordinal);
            void Walk(JsonNode? node, string path)
            {
                if (node is JsonObject o && o.Count > 0)
                {
                    foreach (KeyValuePair<string, JsonNode?> pair in o)
                    {
                        Walk(pair.Value, path.Length == 0 ? pair.Key : $"{path}.{pair.Key}");
                    }
                }
                else
                {
                    leaves.Add(path);
                }
            }

            foreach (KeyValuePair<string, JsonNode?> pair in obj)
            {
                if (pair.Key is "apiVersion" or "kind" or "status")
                {
                    continue;
                }

                if (pair.Key == "metadata" && pair.Value is JsonObject metadata)
                {
                    foreach (string part in new[] { "labels", "annotations" })
                    {
                        if (metadata[part] is JsonObject map)
                        {
                            foreach (KeyValuePair<string, JsonNode?> entry in map)
                            {
                                leaves.Add($"metadata.{part}.{entry.Key}");
                            }
                        }
                    }

                    continue;
                }

                Walk(pair.Value, pair.Key);
            }

            return leaves;
        }

        private static JsonNode? Read(JsonNode? node, string path)
        {
            foreach (string part in SplitPath(path))
            {
                node = (node as JsonObject)?[part];
            }

            return node;
        }

        private static void Remove(JsonObject obj, string path)
        {
            string[] parts = SplitPath(path);
            JsonObject? node = obj;
            for (int i = 0; i < parts.Length - 1 && node is not null; i++)
            {
                node = node[parts[i]] as JsonObject;
            }

            node?.Remove(parts[^1]);
        }

        /// <summary>Label and annotation keys hold dots and slashes: only the first two segments of metadata paths split.</summary>
        private static string[] SplitPath(string path) =>
            path.StartsWith("metadata.labels.", StringComparison.Ordinal) || path.StartsWith("metadata.annotations.", StringComparison.Ordinal)
                ? path.Split('.', 3) : path.Split('.');

        private static void Merge(JsonObject target, JsonObject patch)
        {
            foreach (KeyValuePair<string, JsonNode?> pair in patch.ToList())
            {
                if (pair.Value is null)
                {
                    target.Remove(pair.Key);
                }
                else if (pair.Value is JsonObject child && target[pair.Key] is JsonObject existing)
                {
                    Merge(existing, child);
                }
                else
                {
                    target[pair.Key] = pair.Value.DeepClone();
                }
            }
        }

        private static JsonObject Comparable(JsonObject obj)
        {
            var copy = (JsonObject)obj.DeepClone();
            if (copy["metadata"] is JsonObject metadata)
            {
                metadata.Remove("managedFields");
                metadata.Remove("resourceVersion");
                metadata.Remove("generation");
            }

            return copy;
        }

        private static bool DryRun(HttpContext context) => context.Request.Query["dryRun"] == "All";

        private static string Key(ResourceType type, string? ns, string name) => $"{type.Group}|{type.Plural}|{(type.Namespaced ? ns : string.Empty)}|{name}";

        private (int, JsonNode?) ObjectNotFound(ResourceType type, string name) => Status(404, "NotFound", $"{type.Qualified} \"{name}\" not found", name, type);

        private static (int, JsonNode?) NotFound(string message) => Status(404, "NotFound", message);

        private static (int, JsonNode?) Invalid(ResourceType type, string name, IReadOnlyList<string> errors)
        {
            string message = $"{type.Kind}{(type.Group.Length > 0 ? "." + type.Group : string.Empty)} \"{name}\" is invalid: " + (errors.Count == 1 ? errors[0] : "[" + string.Join(", ", errors) + "]");
            var causes = new JsonArray(errors.Select(e => (JsonNode)new JsonObject
            {
                ["reason"] = e.Contains("Required value", StringComparison.Ordinal) ? "FieldValueRequired" : e.Contains("Unsupported value", StringComparison.Ordinal) ? "FieldValueNotSupported" : "FieldValueInvalid",
                ["message"] = e.Substring(e.IndexOf(": ", StringComparison.Ordinal) + 2),
                ["field"] = e.Substring(0, e.IndexOf(": ", StringComparison.Ordinal)),
            }).ToArray());
            (int status, JsonNode? body) = Status(422, "Invalid", message, name, type);
            body!["details"]!["causes"] = causes;
            return (status, body);
        }

        public static (int, JsonNode?) Status(int code, string reason, string message, string? name = null, ResourceType? type = null)
        {
            var details = new JsonObject();
            if (name is not null)
            {
                details["name"] = name;
            }

            if (type is not null)
            {
                details["group"] = type.Group;
                details["kind"] = type.Plural;
            }

            return (code, new JsonObject
            {
                ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Failure",
                ["message"] = message, ["reason"] = reason, ["details"] = details, ["code"] = code,
            });
        }
    }
}
