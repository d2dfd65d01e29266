using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using k8s;
using k8s.Autorest;
using k8s.Models;
using KedaAks.Engine.Azure;
using KedaAks.Engine.Manifests;

namespace KedaAks.Engine.Kubernetes
{
    /// <summary>
    /// The cluster side of the article (steps 8, 9, 13): KEDA's service account, and KEDA resources applied with
    /// server-side apply (field manager "kedaaks"), read and deleted. Bulk applies run with bounded concurrency;
    /// each object gets its own result or error.
    /// </summary>
    internal sealed class KubernetesService : IKubernetesService
    {
        public const string FieldManager = "kedaaks";

        private readonly AzureService _azure;
        private readonly ClusterConnections _connections;

        public KubernetesService(AzureService azure, EngineOptions options)
        {
            _azure = azure;
            _connections = new ClusterConnections(options);
        }

        /// <summary>Kinds KedaAks applies, with where the API serves them.</summary>
        internal sealed record Kind(string Name, string Group, string Version, string Plural, bool Namespaced)
        {
            public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

            public string CrdName => $"{Plural}.{Group}";
        }

        /// <summary>KEDA's three deployments: the operator, the metrics API server and the admission webhooks.</summary>
        internal static readonly string[] KedaDeployments = { "keda-operator", "keda-operator-metrics-apiserver", "keda-admission-webhooks" };

        /// <summary>The KEDA version a keda-operator deployment runs (no leading v): its image tag, else its app.kubernetes.io/version label.</summary>
        internal static string? OperatorVersion(V1Deployment? deployment)
        {
            string? image = deployment?.Spec?.Template?.Spec?.Containers?.FirstOrDefault()?.Image;
            string? tag = image is not null && image.LastIndexOf(':') > image.LastIndexOf('/') ? image[(image.LastIndexOf(':') + 1)..]
                : deployment?.Metadata?.Labels?.TryGetValue("app.kubernetes.io/version", out string? label) == true ? label : null;
            return tag?.TrimStart('v');
        }

        internal static readonly Kind[] Kinds =
        {
            new("ScaledObject", "keda.sh", "v1alpha1", "scaledobjects", true),
            new("TriggerAuthentication", "keda.sh", "v1alpha1", "triggerauthentications", true),
            new("ClusterTriggerAuthentication", "keda.sh", "v1alpha1", "clustertriggerauthentications", false),
            new("ScaledJob", "keda.sh", "v1alpha1", "scaledjobs", true),
            new("ServiceAccount", string.Empty, "v1", "serviceaccounts", true),
            new("Namespace", string.Empty, "v1", "namespaces", false),
        };

        internal ClusterConnections Connections => _connections;

        internal Task<k8s.Kubernetes> ClientAsync(ClusterConnection connection, CallContext call) =>
            _connections.ClientAsync(connection, call);

        public Task<ClusterConnection> ConnectAsync(ClusterTarget target, CallContext call) =>
            _connections.ConnectAsync(_azure, target, call);

        public async Task<ServiceAccount> NewServiceAccountAsync(ClusterConnection connection, ServiceAccount account, CallContext call)
        {
            string ns = account.Namespace ?? connection.DefaultNamespace;
            k8s.Kubernetes client = await _connections.ClientAsync(connection, call).ConfigureAwait(false);
            string target = $"ServiceAccount '{account.Name}' in namespace '{ns}' on cluster '{connection.Name}'";
            bool write = call.Host.ShouldProcess(target, "Apply (server-side, field manager kedaaks)");
            string? dryRun = write ? null : "All";
            try
            {
                if (!write && await ReadAsync(client, Kinds.First(k => k.Name == "Namespace"), null, ns, call.Cancellation).ConfigureAwait(false) is null)
                {
                    // A dry run cannot place an object in a namespace that does not exist yet.
                    call.Host.WriteVerbose($"Would create namespace '{ns}' and {target}: client-id {account.ClientId}, tenant-id {account.TenantId}.");
                    return new ServiceAccount(account.Name, ns, account.ClientId, account.TenantId);
                }

                var namespaceObject = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = ns } };
                try
                {
                    await client.CoreV1.PatchNamespaceAsync(new V1Patch(namespaceObject.ToJsonString(), V1Patch.PatchType.ApplyPatch), ns, dryRun: dryRun, fieldManager: FieldManager, force: true, cancellationToken: call.Cancellation).ConfigureAwait(false);
                }
                catch (HttpOperationException exception) when (exception.Response.StatusCode == System.Net.HttpStatusCode.Forbidden)
                {
                    call.Host.WriteVerbose($"Not allowed to apply namespace '{ns}'; assuming it exists.");
                }

                var annotations = new JsonObject();
                if (account.ClientId is not null)
                {
                    annotations["azure.workload.identity/client-id"] = account.ClientId;
                }

                if (account.TenantId is not null)
                {
                    annotations["azure.workload.identity/tenant-id"] = account.TenantId;
                }

                var body = new JsonObject
                {
                    ["apiVersion"] = "v1",
                    ["kind"] = "ServiceAccount",
                    ["metadata"] = new JsonObject { ["name"] = account.Name, ["namespace"] = ns, ["annotations"] = annotations },
                };
                V1ServiceAccount applied = await client.CoreV1.PatchNamespacedServiceAccountAsync(new V1Patch(body.ToJsonString(), V1Patch.PatchType.ApplyPatch), account.Name, ns,
                    dryRun: dryRun, fieldManager: FieldManager, force: true, cancellationToken: call.Cancellation).ConfigureAwait(false);
                call.Host.WriteVerbose($"{(write ? "Applied" : "Would apply")} {target}: client-id {account.ClientId}, tenant-id {account.TenantId}.");
                IDictionary<string, string> stored = applied.Metadata.Annotations ?? new Dictionary<string, string>();
                return new ServiceAccount(applied.Metadata.Name, applied.Metadata.NamespaceProperty,
                    stored.TryGetValue("azure.workload.identity/client-id", out string? clientId) ? clientId : null,
                    stored.TryGetValue("azure.workload.identity/tenant-id", out string? tenantId) ? tenantId : null)
                { ResourceVersion = write ? applied.Metadata.ResourceVersion : null };
            }
            catch (HttpOperationException exception)
            {
                throw KubernetesErrors.FromResponse(exception, target, $"Applying {target}");
            }
        }

        public async Task<IReadOnlyList<DeployOutcome>> DeployAsync(ClusterConnection connection, IReadOnlyList<DeployItem> items, DeployOptions options, CallContext call)
        {
            (bool dryRun, bool force, int throttleLimit) = (options.DryRun, options.Force, options.ThrottleLimit);
            k8s.Kubernetes client = await _connections.ClientAsync(connection, call).ConfigureAwait(false);
            var prepared = items.Select(item => Prepare(item, connection)).ToList();
            await EnsureCrdsAsync(client, prepared.Where(p => p.Kind is not null).Select(p => p.Kind!).Distinct(), connection, call).ConfigureAwait(false);

            var outcomes = new DeployOutcome[items.Count];
            using var gate = new SemaphoreSlim(Math.Max(1, throttleLimit));
            int done = 0;
            const string Activity = "Applying KEDA resources";
            var tasks = prepared.Select(async (p, index) =>
            {
                await gate.WaitAsync(call.Cancellation).ConfigureAwait(false);
                try
                {
                    outcomes[index] = p.Error is not null
                        ? new DeployOutcome(p.Item, null, p.Error)
                        : await ApplyOneAsync(client, connection, p, dryRun, force, call.Cancellation).ConfigureAwait(false);
                }
                finally
                {
                    gate.Release();
                    int finished = Interlocked.Increment(ref done);
                    if (items.Count > 1)
                    {
                        call.Host.WriteProgress(Activity, $"{finished} of {items.Count}", finished * 100 / items.Count);
                    }
                }
            }).ToList();
            try
            {
                await Task.WhenAll(tasks).ConfigureAwait(false);
            }
            finally
            {
                if (items.Count > 1)
                {
                    call.Host.WriteProgress(Activity, string.Empty, completed: true);
                }
            }

            return outcomes;
        }

        public async Task<IReadOnlyList<KedaResource>> GetAsync(ClusterConnection connection, string kind, string? ns, CallContext call)
        {
            Kind type = Kinds.First(k => k.Name == kind);
            k8s.Kubernetes client = await _connections.ClientAsync(connection, call).ConfigureAwait(false);
            try
            {
                object list = type.Namespaced && ns is not null
                    ? await client.CustomObjects.ListNamespacedCustomObjectAsync(type.Group, type.Version, ns, type.Plural, cancellationToken: call.Cancellation).ConfigureAwait(false)
                    : await client.CustomObjects.ListClusterCustomObjectAsync(type.Group, type.Version, type.Plural, cancellationToken: call.Cancellation).ConfigureAwait(false);
                JsonNode? parsed = JsonNode.Parse(((JsonElement)list).GetRawText());
                return (parsed?["items"] as JsonArray ?? new JsonArray()).Where(i => i is JsonObject).Select(i => KedaObjects.FromJson((JsonObject)i!)).Where(r => r is not null).Select(r => r!).ToList();
            }
            catch (HttpOperationException exception) when (exception.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                throw KedaNotInstalled(connection, type);
            }
            catch (HttpOperationException exception)
            {
                throw KubernetesErrors.FromResponse(exception, type.Plural, $"Listing {type.Plural}");
            }
        }

        public async Task<bool> RemoveAsync(ClusterConnection connection, string kind, string? ns, string name, CallContext call)
        {
            Kind type = Kinds.First(k => k.Name == kind);
            k8s.Kubernetes client = await _connections.ClientAsync(connection, call).ConfigureAwait(false);
            string target = $"{kind} '{name}'{(type.Namespaced ? $" in namespace '{ns}'" : string.Empty)} on cluster '{connection.Name}'";
            if (!call.Host.ShouldProcess(target, "Remove"))
            {
                return false;
            }

            try
            {
                if (type.Namespaced)
                {
                    await client.CustomObjects.DeleteNamespacedCustomObjectAsync(type.Group, type.Version, ns ?? connection.DefaultNamespace, type.Plural, name, cancellationToken: call.Cancellation).ConfigureAwait(false);
                }
                else
                {
                    await client.CustomObjects.DeleteClusterCustomObjectAsync(type.Group, type.Version, type.Plural, name, cancellationToken: call.Cancellation).ConfigureAwait(false);
                }

                call.Host.WriteVerbose($"Removed {target}.");
                return true;
            }
            catch (HttpOperationException exception) when (exception.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                call.Host.WriteVerbose($"{target} does not exist; nothing to remove.");
                return false;
            }
            catch (HttpOperationException exception)
            {
                throw KubernetesErrors.FromResponse(exception, target, $"Removing {target}");
            }
        }

        public async Task<IReadOnlyList<Diagnosis>> GetOperatorLogAsync(ClusterConnection connection, OperatorLogRequest request, CallContext call)
        {
            (string? ns, TimeSpan? since, int? tail, bool all) = (request.Namespace, request.Since, request.Tail, request.IncludeInfo);
            k8s.Kubernetes client = await _connections.ClientAsync(connection, call).ConfigureAwait(false);
            var resolver = new Diagnostics.ErrorResolver();
            var lines = new List<Diagnosis>();
            foreach (string candidate in ns is null ? new[] { "keda", "kube-system" } : new[] { ns })
            {
                V1PodList pods;
                try
                {
                    pods = await client.CoreV1.ListNamespacedPodAsync(candidate, labelSelector: "app=keda-operator", cancellationToken: call.Cancellation).ConfigureAwait(false);
                }
                catch (HttpOperationException exception)
                {
                    throw KubernetesErrors.FromResponse(exception, candidate, $"Listing KEDA operator pods in '{candidate}'");
                }

                foreach (V1Pod pod in pods.Items)
                {
                    call.Host.WriteVerbose($"Reading the log of pod {candidate}/{pod.Metadata.Name}.");
                    using System.IO.Stream stream = await client.CoreV1.ReadNamespacedPodLogAsync(pod.Metadata.Name, candidate,
                        sinceSeconds: since is null ? null : (int)Math.Ceiling(since.Value.TotalSeconds), tailLines: tail, cancellationToken: call.Cancellation).ConfigureAwait(false);
                    using var reader = new System.IO.StreamReader(stream);
                    string? line;
                    while ((line = await reader.ReadLineAsync(call.Cancellation).ConfigureAwait(false)) is not null)
                    {
                        if (line.Trim().Length == 0)
                        {
                            continue;
                        }

                        Diagnosis diagnosis = resolver.Resolve(line);
                        diagnosis.Pod = $"{candidate}/{pod.Metadata.Name}";
                        diagnosis.Level = Level(line);
                        lines.Add(diagnosis);
                    }
                }

                if (pods.Items.Count > 0)
                {
                    break;
                }
            }

            var errors = lines.Where(d => d.Level == "error" || d.Code != DiagnosisCode.Unknown)
                .GroupBy(d => (d.Code, d.Namespace, d.Name, d.Message))
                .Select(g =>
                {
                    Diagnosis first = g.First();
                    first.Count = g.Count();
                    first.LastTime = g.Last().Time;
                    return first;
                });
            return (all ? errors.Concat(lines.Where(d => d.Level != "error" && d.Code == DiagnosisCode.Unknown)) : errors)
                .OrderBy(d => d.Time ?? DateTimeOffset.MinValue).ToList();
        }

        /// <summary>The level of a KEDA log line: zap JSON's "level", or the console format's second column.</summary>
        private static string? Level(string line)
        {
            string trimmed = line.TrimStart();
            if (trimmed.StartsWith('{'))
            {
                try
                {
                    return JsonNode.Parse(trimmed)?["level"]?.GetValue<string>()?.ToLowerInvariant();
                }
                catch (JsonException)
                {
                    return null;
                }
            }

            string[] columns = trimmed.Split(new[] { '\t', ' ' }, 3, StringSplitOptions.RemoveEmptyEntries);
            return columns.Length > 1 && columns[1].ToUpperInvariant() is "ERROR" or "INFO" or "DEBUG" or "WARN" or "WARNING" or "DPANIC" or "PANIC" or "FATAL" ? columns[1].ToLowerInvariant() : null;
        }

        /// <summary>Raw reads for the integration checks (null when absent).</summary>
        internal async Task<k8s.Kubernetes> ClientForAsync(ClusterConnection connection, CallContext call) =>
            await _connections.ClientAsync(connection, call).ConfigureAwait(false);

        /// <summary>A bound service-account token (TokenRequest), as the kubelet projects it into KEDA's pod.</summary>
        internal async Task<string> RequestTokenAsync(ClusterConnection connection, string ns, string name, string audience, CallContext call)
        {
            k8s.Kubernetes client = await _connections.ClientAsync(connection, call).ConfigureAwait(false);
            try
            {
                var request = new Authenticationv1TokenRequest { ApiVersion = "authentication.k8s.io/v1", Kind = "TokenRequest", Spec = new V1TokenRequestSpec { Audiences = new[] { audience }, ExpirationSeconds = 3600 } };
                Authenticationv1TokenRequest answer = await client.CoreV1.CreateNamespacedServiceAccountTokenAsync(request, name, ns, cancellationToken: call.Cancellation).ConfigureAwait(false);
                return answer.Status.Token;
            }
            catch (HttpOperationException exception)
            {
                throw KubernetesErrors.FromResponse(exception, $"ServiceAccount/{ns}/{name}", $"Requesting a token for service account '{ns}/{name}'");
            }
        }

        private sealed record Prepared(DeployItem Item, JsonObject? Body, Kind? Kind, string? Namespace, string Name, KedaAksException? Error);

        private static Prepared Prepare(DeployItem item, ClusterConnection connection)
        {
            JsonObject? body;
            try
            {
                string yaml = item.Manifest ?? new ManifestSerializer().ToYaml(new[] { item.Resource! });
                body = JsonNode.Parse(KubernetesJson.Serialize(KubernetesYaml.Deserialize<Dictionary<string, object>>(yaml))) as JsonObject;
            }
            catch (Exception exception) when (exception is YamlDotNet.Core.YamlException or JsonException or InvalidOperationException)
            {
                return new Prepared(item, null, null, null, "?", new KedaAksException("InvalidManifest", KedaErrorCategory.InvalidData,
                    $"A manifest{(item.SourcePath is null ? string.Empty : $" in '{item.SourcePath}'")} is not valid YAML: {exception.Message}", item.SourcePath, "Fix the YAML and run again."));
            }

            string kindName = body?["kind"]?.GetValue<string>() ?? string.Empty;
            string name = body?["metadata"]?["name"]?.GetValue<string>() ?? string.Empty;
            Kind? kind = Kinds.FirstOrDefault(k => k.Name == kindName && k.ApiVersion == body?["apiVersion"]?.GetValue<string>());
            if (body is null || kind is null)
            {
                return new Prepared(item, null, null, null, name, new KedaAksException("UnsupportedKind", KedaErrorCategory.InvalidArgument,
                    $"Deploy-KedaResource applies ScaledObject, ScaledJob, TriggerAuthentication, ClusterTriggerAuthentication (keda.sh/v1alpha1), ServiceAccount and Namespace; '{body?["apiVersion"]} {kindName}' is none of them.",
                    item.SourcePath ?? kindName, "Apply other kinds with kubectl or Helm."));
            }

            string? ns = kind.Namespaced ? body["metadata"]?["namespace"]?.GetValue<string>() ?? connection.DefaultNamespace : null;
            if (ns is not null)
            {
                body["metadata"]!["namespace"] = ns;
            }

            return new Prepared(item, body, kind, ns, name, null);
        }

        private static async Task EnsureCrdsAsync(k8s.Kubernetes client, IEnumerable<Kind> kinds, ClusterConnection connection, CallContext call)
        {
            foreach (Kind kind in kinds.Where(k => k.Group == "keda.sh"))
            {
                try
                {
                    await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(kind.CrdName, cancellationToken: call.Cancellation).ConfigureAwait(false);
                }
                catch (HttpOperationException exception) when (exception.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
                {
                    throw KedaNotInstalled(connection, kind);
                }
                catch (HttpOperationException exception) when (exception.Response.StatusCode == System.Net.HttpStatusCode.Forbidden)
                {
                    call.Host.WriteVerbose($"Not allowed to read CustomResourceDefinition {kind.CrdName}; applying without checking that KEDA is installed.");
                }
            }
        }

        private static KedaAksException KedaNotInstalled(ClusterConnection connection, Kind kind) =>
            new("KedaNotInstalled", KedaErrorCategory.NotInstalled,
                $"Cluster '{connection.Name}' does not serve {kind.CrdName}: KEDA is not installed (its CustomResourceDefinitions are missing).", kind.CrdName,
                "Install KEDA first (Install-KedaHelm, the AKS KEDA add-on, or KEDA's manifests), then run again.");

        private static async Task<DeployOutcome> ApplyOneAsync(k8s.Kubernetes client, ClusterConnection connection, Prepared p, bool dryRun, bool force, CancellationToken cancellationToken)
        {
            Kind kind = p.Kind!;
            string target = $"{kind.Name} '{p.Name}'{(p.Namespace is null ? string.Empty : $" in namespace '{p.Namespace}'")}";
            try
            {
                JsonObject? before = await ReadAsync(client, kind, p.Namespace, p.Name, cancellationToken).ConfigureAwait(false);
                var patch = new V1Patch(p.Body!.ToJsonString(), V1Patch.PatchType.ApplyPatch);
                string? dry = dryRun ? "All" : null;
                object applied = (kind.Name, kind.Namespaced) switch
                {
                    ("ServiceAccount", _) => await client.CoreV1.PatchNamespacedServiceAccountAsync(patch, p.Name, p.Namespace, dryRun: dry, fieldManager: FieldManager, force: force, cancellationToken: cancellationToken).ConfigureAwait(false),
                    ("Namespace", _) => await client.CoreV1.PatchNamespaceAsync(patch, p.Name, dryRun: dry, fieldManager: FieldManager, force: force, cancellationToken: cancellationToken).ConfigureAwait(false),
                    (_, true) => await client.CustomObjects.PatchNamespacedCustomObjectAsync(patch, kind.Group, kind.Version, p.Namespace, kind.Plural, p.Name, dryRun: dry, fieldManager: FieldManager, force: force, cancellationToken: cancellationToken).ConfigureAwait(false),
                    _ => await client.CustomObjects.PatchClusterCustomObjectAsync(patch, kind.Group, kind.Version, kind.Plural, p.Name, dryRun: dry, fieldManager: FieldManager, force: force, cancellationToken: cancellationToken).ConfigureAwait(false),
                };
                JsonObject after = (JsonNode.Parse(applied is JsonElement element ? element.GetRawText() : KubernetesJson.Serialize(applied)) as JsonObject)!;
                List<string> changes = before is null ? new List<string>() : Diff(before, after);
                string action = before is null ? (dryRun ? "WouldCreate" : "Created") : changes.Count == 0 ? "Unchanged" : dryRun ? "WouldConfigure" : "Configured";
                return new DeployOutcome(p.Item, new DeployResult
                {
                    Kind = kind.Name,
                    Namespace = p.Namespace,
                    Name = p.Name,
                    Action = action,
                    ResourceVersion = dryRun ? before?["metadata"]?["resourceVersion"]?.GetValue<string>() : after["metadata"]?["resourceVersion"]?.GetValue<string>(),
                    Changes = changes,
                    DryRun = dryRun,
                    Resource = KedaObjects.FromJson(after),
                    SourcePath = p.Item.SourcePath,
                }, null);
            }
            catch (HttpOperationException exception)
            {
                return new DeployOutcome(p.Item, null, KubernetesErrors.FromResponse(exception, $"{kind.Name}/{p.Namespace}/{p.Name}".Replace("//", "/"), $"Applying {target}"));
            }
        }

        private static async Task<JsonObject?> ReadAsync(k8s.Kubernetes client, Kind kind, string? ns, string name, CancellationToken cancellationToken)
        {
            try
            {
                object found = (kind.Name, kind.Namespaced) switch
                {
                    ("ServiceAccount", _) => await client.CoreV1.ReadNamespacedServiceAccountAsync(name, ns, cancellationToken: cancellationToken).ConfigureAwait(false),
                    ("Namespace", _) => await client.CoreV1.ReadNamespaceAsync(name, cancellationToken: cancellationToken).ConfigureAwait(false),
                    (_, true) => await client.CustomObjects.GetNamespacedCustomObjectAsync(kind.Group, kind.Version, ns, kind.Plural, name, cancellationToken).ConfigureAwait(false),
                    _ => await client.CustomObjects.GetClusterCustomObjectAsync(kind.Group, kind.Version, kind.Plural, name, cancellationToken).ConfigureAwait(false),
                };
                return JsonNode.Parse(found is JsonElement element ? element.GetRawText() : KubernetesJson.Serialize(found)) as JsonObject;
            }
            catch (HttpOperationException exception) when (exception.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                return null;
            }
        }

        /// <summary>Paths (spec, labels, annotations) whose values differ between two versions of an object.</summary>
        internal static List<string> Diff(JsonObject? before, JsonObject after)
        {
            var left = Flatten(before);
            var right = Flatten(after);
            return left.Keys.Union(right.Keys).Where(k => !(left.TryGetValue(k, out string? a) && right.TryGetValue(k, out string? b) && a == b))
                .OrderBy(k => k, StringComparer.Ordinal).ToList();
        }

        private static Dictionary<string, string> Flatten(JsonObject? obj)
        {
            var leaves = new Dictionary<string, string>(StringComparer.Ordinal);
            void Walk(JsonNode? node, string path)
            {
                if (node is JsonObject o && o.Count > 0)
                {
                    foreach (KeyValuePair<string, JsonNode?> pair in o)
                    {
                        Walk(pair.Value, $"{path}.{pair.Key}");
                    }
                }
                else
                {
                    leaves[path] = node?.ToJsonString() ?? "null";
                }
            }

            if (obj is not null)
            {
                Walk(obj["spec"], "spec");
                Walk(obj["metadata"]?["labels"], "metadata.labels");
                Walk(obj["metadata"]?["annotations"], "metadata.annotations");
            }

            return leaves;
        }
    }
}
