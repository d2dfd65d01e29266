using System.Text.Json;
using k8s;
using KedaAks.Engine.Boundary;
using KedaAks.Engine.Manifests;

namespace KedaAks.Engine.Kubernetes
{
    /// <summary>
    /// Server-side apply of KEDA resources and service accounts (field manager kedaaks): each item prepared from its
    /// object or YAML, KEDA's CRDs checked, applied with bounded concurrency (its own result or error each), dry runs
    /// answered by the API server, and the change reported as the paths that differ.
    /// </summary>
    internal sealed class ResourceApplier
    {
        private readonly IKubeGateway _gateway;

        public ResourceApplier(IKubeGateway gateway) => _gateway = gateway;

        /// <summary>
        /// The namespace (unless it is the add-on's kube-system) and the service account with the workload identity annotations, by server-side
        /// apply; <paramref name="namespaceAnnotations"/> and <paramref name="accountAnnotations"/> are applied too (the integration's ownership marks).
        /// </summary>
        public async Task<ServiceAccount> ApplyServiceAccountAsync(ClusterConnection connection, ServiceAccount account, CallContext call,
            IReadOnlyDictionary<string, string>? namespaceAnnotations = null, IReadOnlyDictionary<string, string>? accountAnnotations = null)
        {
            string ns = account.Namespace ?? connection.DefaultNamespace;
            KubernetesErrors.CheckNames(ns, account.Name);  // both, before the namespace is written
            string target = $"ServiceAccount '{account.Name}' in namespace '{ns}' on cluster '{connection.Name}'";
            var operation = new KubeOperation(target, $"Applying {target}");
            bool write = call.Host.ShouldProcess(target, "Apply (server-side, field manager kedaaks)");
            if (!write && await _gateway.ReadAsync(connection, KubeKind.Named("Namespace"), null, ns, operation, call).ConfigureAwait(false) is null)
            {
                // A dry run cannot place an object in a namespace that does not exist yet.
                call.Host.WriteVerbose($"Would create namespace '{ns}' and {target}: client-id {account.ClientId}, tenant-id {account.TenantId}.");
                return new ServiceAccount(account.Name, ns, account.ClientId, account.TenantId) { Action = "WouldCreate" };
            }

            var namespaceObject = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = ns } };
            if (namespaceAnnotations is { Count: > 0 })
            {
                namespaceObject["metadata"]!["annotations"] = new JsonObject(namespaceAnnotations.Select(a => KeyValuePair.Create(a.Key, (JsonNode?)a.Value)));
            }

            try
            {
                if (ns == Keda.AksAddonKeda.Namespace)
                {
                    goto annotate; // the add-on's namespace: only the service account's annotations are ours
                }

                await _gateway.ApplyAsync(connection, KubeKind.Named("Namespace"), null, ns, namespaceObject, !write, force: true, operation, call).ConfigureAwait(false);
            }
            catch (KedaAksException exception) when (exception.Category == KedaErrorCategory.PermissionDenied)
            {
                call.Host.WriteVerbose($"Not allowed to apply namespace '{ns}'; assuming it exists.");
            }

        annotate:

            var annotations = new JsonObject((accountAnnotations ?? new Dictionary<string, string>()).Select(a => KeyValuePair.Create(a.Key, (JsonNode?)a.Value)));
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
            JsonObject? before = await _gateway.ReadAsync(connection, KubeKind.Named("ServiceAccount"), ns, account.Name, operation, call).ConfigureAwait(false);
            JsonObject applied = await _gateway.ApplyAsync(connection, KubeKind.Named("ServiceAccount"), ns, account.Name, body, !write, force: true, operation, call).ConfigureAwait(false);
            List<string> changes = before is null ? new List<string>() : Diff(before, applied);
            string action = before is null ? (write ? "Created" : "WouldCreate") : changes.Count == 0 ? "Unchanged" : write ? "Configured" : "WouldConfigure";
            call.Host.WriteVerbose($"{target} {action}: client-id {account.ClientId}, tenant-id {account.TenantId}"
                + (changes.Count > 0 ? $" ({string.Join(", ", changes)})." : "."));
            var stored = (ServiceAccount)KedaObjects.FromJson(applied)!;
            return new ServiceAccount(stored.Name, stored.Namespace, stored.ClientId, stored.TenantId) { ResourceVersion = write ? stored.ResourceVersion : null, Action = action };
        }

        public Task<IReadOnlyList<DeployOutcome>> DeployAsync(ClusterConnection connection, IReadOnlyList<DeployItem> items, DeployOptions options, CallContext call) =>
            DeployAsync(Task.FromResult(connection), items, options, (_, all) => all, call);

        /// <summary>
        /// The items parsed while <paramref name="connecting"/> completes (parsing needs no cluster), then those <paramref name="choose"/> keeps
        /// once the connection is known (the cmdlet's ShouldProcess) applied: one outcome per chosen item, in order.
        /// </summary>
        public async Task<IReadOnlyList<DeployOutcome>> DeployAsync(Task<ClusterConnection> connecting, IReadOnlyList<DeployItem> items, DeployOptions options,
            Func<ClusterConnection, IReadOnlyList<DeployItem>, IReadOnlyList<DeployItem>> choose, CallContext call)
        {
            Task<List<Prepared>> parsing = Task.Run(() => Prepared.ParseAll(items), call.Cancellation);
            ClusterConnection connection;
            HashSet<DeployItem> chosen;
            try
            {
                connection = await connecting.ConfigureAwait(false);
                chosen = new HashSet<DeployItem>(choose(connection, items), ReferenceEqualityComparer.Instance);
            }
            catch
            {
                parsing.ObserveFailure();
                throw;
            }

            if (chosen.Count == 0)
            {
                parsing.ObserveFailure();
                return Array.Empty<DeployOutcome>();
            }

            List<Prepared> parsed = await parsing.ConfigureAwait(false);

            var prepared = Prepared.RefuseRepeats(parsed.Where(p => chosen.Contains(p.Item)).Select(p => p.Place(connection)).ToList());
            await EnsureCrdsAsync(prepared.Where(p => p.Kind is not null).Select(p => p.Kind!).Distinct(), connection, call).ConfigureAwait(false);
            // What the pre-flight and the diff will read is asked for together (as many lists at once as objects are applied at once), not one after another.
            var listings = new KubeListings(_gateway, connection, call);
            Dictionary<Listing, int> reads = ScaleTargetPreflight.Reads(prepared);
            foreach (KeyValuePair<Listing, int> read in Reads(prepared))
            {
                reads[read.Key] = Math.Max(read.Value, reads.GetValueOrDefault(read.Key));
            }

            listings.Prefetch(reads, Math.Max(1, options.ThrottleLimit));
            KedaAksException?[] refused = await new ScaleTargetPreflight(_gateway).CheckAsync(connection, prepared, options.TakeOverHpa, listings, call).ConfigureAwait(false);
            prepared = prepared.Select((p, i) => refused[i] is { } refusal ? p with { Error = refusal } : p).ToList();
            IReadOnlyDictionary<Listing, IReadOnlyDictionary<string, JsonObject>> listed = await ListManyAsync(prepared, listings).ConfigureAwait(false);

            var outcomes = new DeployOutcome[prepared.Count];
            using var gate = new SemaphoreSlim(Math.Max(1, options.ThrottleLimit));
            int done = 0;
            const string Activity = "Applying KEDA resources";
            var tasks = prepared.Select(async (p, index) =>
            {
                await gate.WaitAsync(call.Cancellation).ConfigureAwait(false);
                try
                {
                    outcomes[index] = p.Error is not null ? new DeployOutcome(p.Item, null, p.Error) : await ApplyOneAsync(connection, p, options, listed, call).ConfigureAwait(false);
                }
                finally
                {
                    gate.Release();
                    int finished = Interlocked.Increment(ref done);
                    // One progress record per percent at most: a record for each of thousands of objects costs the pipeline thread more than it tells.
                    if (prepared.Count > 1 && finished * 100 / prepared.Count != (finished - 1) * 100 / prepared.Count)
                    {
                        call.Host.WriteProgress(Activity, $"{finished} of {prepared.Count}", finished * 100 / prepared.Count);
                    }
                }
            }).ToList();
            try
            {
                await Task.WhenAll(tasks).ConfigureAwait(false);
            }
            finally
            {
                if (prepared.Count > 1)
                {
                    call.Host.WriteProgress(Activity, string.Empty, completed: true);
                }
            }

            return outcomes;
        }

        private async Task EnsureCrdsAsync(IEnumerable<KubeKind> kinds, ClusterConnection connection, CallContext call)
        {
            foreach (KubeKind kind in kinds.Where(k => k.IsKeda))
            {
                bool? exists = await _gateway.CrdExistsAsync(connection, kind.CrdName, new KubeOperation(kind.CrdName, $"Reading CustomResourceDefinition {kind.CrdName}"), call).ConfigureAwait(false);
                if (exists == false)
                {
                    throw KubernetesErrors.KedaNotInstalled(connection, kind);
                }

                if (exists is null)
                {
                    call.Host.WriteVerbose($"Not allowed to read CustomResourceDefinition {kind.CrdName}; applying without checking that KEDA is installed.");
                }
            }
        }

        /// <summary>The listings the diff reads: the KEDA objects of each kind and namespace, where enough of them are applied.</summary>
        private static Dictionary<Listing, int> Reads(IReadOnlyList<Prepared> prepared) =>
            prepared.Where(p => p.Error is null && p.Kind!.IsKeda).GroupBy(p => new Listing(p.Kind!, p.Namespace)).ToDictionary(g => g.Key, g => g.Count());

        /// <summary>
        /// The objects already there, from one list per kind and namespace: where the pre-flight listed it anyway, or where many items share it
        /// (instead of one read each). Kinds and namespaces with few items, or whose list fails, are read one by one.
        /// </summary>
        private static async Task<IReadOnlyDictionary<Listing, IReadOnlyDictionary<string, JsonObject>>> ListManyAsync(IReadOnlyList<Prepared> prepared,
            KubeListings listings)
        {
            var listed = new Dictionary<Listing, IReadOnlyDictionary<string, JsonObject>>();
            foreach (KeyValuePair<Listing, int> read in Reads(prepared))
            {
                if (await listings.WhenWorthAsync(read.Key.Kind, read.Key.Namespace, read.Value).ConfigureAwait(false) is { } items)
                {
                    listed[read.Key] = items;
                }
            }

            return listed;
        }

        private async Task<DeployOutcome> ApplyOneAsync(ClusterConnection connection, Prepared p, DeployOptions options,
            IReadOnlyDictionary<Listing, IReadOnlyDictionary<string, JsonObject>> listed, CallContext call)
        {
            KubeKind kind = p.Kind!;
            string target = $"{kind.Name} '{p.Name}'{(p.Namespace is null ? string.Empty : $" in namespace '{p.Namespace}'")}";
            var operation = new KubeOperation($"{kind.Name}/{p.Namespace}/{p.Name}".Replace("//", "/"), $"Applying {target}");
            bool dryRun = options.DryRun;
            try
            {
                JsonObject? before = listed.TryGetValue(new Listing(kind, p.Namespace), out IReadOnlyDictionary<string, JsonObject>? existing)
                    ? existing.GetValueOrDefault(p.Name)
                    : await _gateway.ReadAsync(connection, kind, p.Namespace, p.Name, operation, call).ConfigureAwait(false);

                // An apply that would change nothing is not sent (the answer would be the object as it is).
                JsonObject after = before is not null && AppliedFields.Unchanged(p.Body!, before, KubeGateway.FieldManager)
                    ? before
                    : await _gateway.ApplyAsync(connection, kind, p.Namespace, p.Name, p.Body!, dryRun, options.Force, operation, call).ConfigureAwait(false);

                // The diff: each field once (into arrays), and the paths (an array as a whole) derived from it.
                List<FieldChange> fieldChanges = before is null || ReferenceEquals(before, after) ? new List<FieldChange>() : Changes(before, after, intoArrays: true);
                List<string> changes = WholeArrays(fieldChanges);
                string action = before is null ? (dryRun ? "WouldCreate" : "Created") : changes.Count == 0 ? "Unchanged" : dryRun ? "WouldConfigure" : "Configured";
                return new DeployOutcome(p.Item, new DeployResult
                {
                    Kind = kind.Name,
                    Namespace = p.Namespace,
                    Name = p.Name,
                    Action = action,
                    ResourceVersion = dryRun ? before?["metadata"]?["resourceVersion"]?.GetValue<string>() : after["metadata"]?["resourceVersion"]?.GetValue<string>(),
                    Changes = changes,
                    FieldChanges = fieldChanges,
                    DryRun = dryRun,
                    Resource = KedaObjects.FromJson(after),
                    SourcePath = p.Item.SourcePath,
                }, null);
            }
            catch (KedaAksException exception) when (exception.ErrorId != "ClusterUnreachable" && exception.ErrorId != "ClusterConnectionUnknown")
            {
                return new DeployOutcome(p.Item, null, exception);
            }
        }

        /// <summary>Paths (spec, labels, annotations) whose values differ between two versions of an object.</summary>
        internal static List<string> Diff(JsonObject? before, JsonObject after) => WholeArrays(Changes(before, after, intoArrays: true));

        /// <summary>The changed paths with an array named as a whole (<c>spec.triggers</c> for <c>spec.triggers[0].metadata.threshold</c>).</summary>
        internal static List<string> WholeArrays(IEnumerable<FieldChange> changes) =>
            changes.Select(c => c.Path.IndexOf('[', StringComparison.Ordinal) is int at and >= 0 ? c.Path.Substring(0, at) : c.Path)
                .Distinct(StringComparer.Ordinal).OrderBy(p => p, StringComparer.Ordinal).ToList();

        /// <summary>
        /// The fields (spec, labels, annotations) whose values differ, with both values as JSON; <paramref name="intoArrays"/>
        /// names array items (<c>spec.triggers[0].metadata.threshold</c>) instead of the whole array.
        /// </summary>
        internal static List<FieldChange> Changes(JsonObject? before, JsonObject after, bool intoArrays)
        {
            var left = Flatten(before, intoArrays);
            var right = Flatten(after, intoArrays);
            return left.Keys.Union(right.Keys).Where(k => !(left.TryGetValue(k, out string? a) && right.TryGetValue(k, out string? b) && a == b))
                .OrderBy(k => k, StringComparer.Ordinal)
                .Select(k => new FieldChange(k, left.TryGetValue(k, out string? a) ? a : null, right.TryGetValue(k, out string? b) ? b : null)).ToList();
        }

        private static Dictionary<string, string> Flatten(JsonObject? obj, bool intoArrays)
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
                else if (intoArrays && node is JsonArray array && array.Count > 0)
                {
                    for (int i = 0; i < array.Count; i++)
                    {
                        Walk(array[i], $"{path}[{i}]");
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
