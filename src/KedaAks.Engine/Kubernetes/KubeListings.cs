using KedaAks.Engine.Boundary;

namespace KedaAks.Engine.Kubernetes
{
    /// <summary>A kind's objects in one namespace (null: a cluster-scoped kind, or all namespaces), as one list names them.</summary>
    internal sealed record Listing(KubeKind Kind, string? Namespace);

    /// <summary>
    /// One deploy's view of what the cluster already holds: each kind and namespace listed at most once, shared by the
    /// scale-target pre-flight and the applier (kubectl reads nothing and writes every object; this reads a list and writes
    /// only what would change). A list is null when the API does not serve the kind or the identity may not list it.
    /// </summary>
    internal sealed class KubeListings
    {
        /// <summary>From how many objects of one kind in one namespace a list is cheaper than reading each.</summary>
        private const int ListFrom = 8;

        private readonly IKubeGateway _gateway;
        private readonly ClusterConnection _connection;
        private readonly CallContext _call;
        private readonly ConcurrentDictionary<Listing, Lazy<Task<IReadOnlyDictionary<string, JsonObject>?>>> _lists = new();

        public KubeListings(IKubeGateway gateway, ClusterConnection connection, CallContext call)
        {
            _gateway = gateway;
            _connection = connection;
            _call = call;
        }

        /// <summary>The kind's objects in the namespace (all namespaces for a cluster-scoped kind), by name.</summary>
        public Task<IReadOnlyDictionary<string, JsonObject>?> GetAsync(KubeKind kind, string? ns) =>
            _lists.GetOrAdd(new Listing(kind, kind.Namespaced ? ns : null), key => new Lazy<Task<IReadOnlyDictionary<string, JsonObject>?>>(() => ListAsync(key.Kind, key.Namespace))).Value;

        /// <summary>
        /// The listing when it is worth it: made already (reading from it costs nothing), or <paramref name="wanted"/> objects of the kind
        /// share the namespace (from <see cref="ListFrom"/> on, one list beats one read each). Null means: read them one by one.
        /// </summary>
        public Task<IReadOnlyDictionary<string, JsonObject>?> WhenWorthAsync(KubeKind kind, string? ns, int wanted) =>
            wanted >= ListFrom || _lists.ContainsKey(new Listing(kind, kind.Namespaced ? ns : null)) ? GetAsync(kind, ns) : Task.FromResult<IReadOnlyDictionary<string, JsonObject>?>(null);

        /// <summary>
        /// Starts together up to <paramref name="atMost"/> of the listings in <paramref name="wanted"/> that <see cref="WhenWorthAsync"/> would make, so
        /// their round trips overlap instead of following one another (the rest are made when read); whoever reads a listing sees its result or failure.
        /// </summary>
        public void Prefetch(IReadOnlyDictionary<Listing, int> wanted, int atMost)
        {
            foreach (KeyValuePair<Listing, int> listing in wanted.Where(w => w.Value >= ListFrom).Take(atMost))
            {
                GetAsync(listing.Key.Kind, listing.Key.Namespace).ObserveFailure();
            }
        }

        private async Task<IReadOnlyDictionary<string, JsonObject>?> ListAsync(KubeKind kind, string? ns)
        {
            string where = ns is null ? string.Empty : $" in namespace '{ns}'";
            try
            {
                IReadOnlyList<JsonObject>? items = await _gateway.ListAsync(_connection, kind, ns, new KubeOperation($"{kind.Plural}/{ns}".TrimEnd('/'), $"Listing {kind.Plural}{where}"), _call)
                    .ConfigureAwait(false);
                if (items is null)
                {
                    _call.Host.WriteVerbose($"The API server does not serve {kind.Plural} ({kind.ApiVersion}).");
                    return null;
                }

                var byName = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
                foreach (JsonObject item in items)
                {
                    if (item["metadata"]?["name"]?.GetValue<string>() is { } name)
                    {
                        byName[name] = item;
                    }
                }

                return byName;
            }
            catch (KedaAksException exception) when (exception.Category == KedaErrorCategory.PermissionDenied)
            {
                _call.Host.WriteVerbose($"Not allowed to list {kind.Plural}{where}; reading them one by one where needed.");
                return null;
            }
        }
    }
}
