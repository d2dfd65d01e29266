using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;

namespace KedaAks.Sandbox.Kubernetes
{
    /// <summary>
    /// The cluster's state, as etcd and the API server's registry hold it: the served kinds, every object under a
    /// key "group|plural|namespace|name", one resourceVersion counter, and field ownership (managedFields) per
    /// object and manager. Not thread-safe by itself: callers hold <see cref="Sync"/>.
    /// </summary>
    public sealed class ClusterStore
    {
        private readonly List<ResourceType> _types;
        private long _resourceVersion = 1000;

        public ClusterStore(IEnumerable<ResourceType> kinds) => _types = kinds.ToList();

        /// <summary>The one lock of the cluster: requests, controllers and watches take it.</summary>
        public object Sync { get; } = new();

        public Dictionary<string, JsonObject> Objects { get; } = new(StringComparer.Ordinal);

        /// <summary>Per object key, per field manager: the operation and the field paths it owns.</summary>
        public Dictionary<string, Dictionary<string, (string Operation, HashSet<string> Paths)>> Owners { get; } = new(StringComparer.Ordinal);

        public long ResourceVersion => _resourceVersion;

        public IReadOnlyList<ResourceType> Types => _types;

        public ResourceType Namespaces => _types[0];

        /// <summary>The first served kind of this plural (a built-in one: they come first).</summary>
        public ResourceType Kind(string plural) => _types.First(t => t.Plural == plural);

        public ResourceType? Find(string group, string version, string plural) => _types.FirstOrDefault(t => t.Group == group && t.Version == version && t.Plural == plural);

        public ResourceType? FindByApiVersion(string apiVersion, string plural) => _types.FirstOrDefault(t => t.ApiVersion == apiVersion && t.Plural == plural);

        /// <summary>Serves a kind from now on (appended: discovery lists it after the ones served before).</summary>
        public void Serve(ResourceType type) => _types.Add(type);

        public void Unserve(string group, string plural) => _types.RemoveAll(t => t.Group == group && t.Plural == plural);

        public string NextResourceVersion() => (++_resourceVersion).ToString(CultureInfo.InvariantCulture);

        public static string Key(ResourceType type, string? ns, string name) => $"{type.Group}|{type.Plural}|{(type.Namespaced ? ns : string.Empty)}|{name}";

        public bool NamespaceExists(string ns) => Objects.ContainsKey(Key(Namespaces, null, ns));

        /// <summary>A copy with a new resourceVersion (and uid, creationTimestamp and generation 1 when created); managedFields dropped.</summary>
        public JsonObject Stamp(JsonObject obj, bool created)
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

            metadata["resourceVersion"] = NextResourceVersion();
            metadata.Remove("managedFields");
            return stamped;
        }

        /// <summary>Stores an object under its key; a namespaced key sets metadata.namespace.</summary>
        public void Put(string key, JsonObject obj)
        {
            string[] parts = key.Split('|');
            if (parts[2].Length > 0)
            {
                obj["metadata"]!["namespace"] = parts[2];
            }

            Objects[key] = obj;
        }

        public void AddNamespace(string ns) =>
            Put(Key(Namespaces, null, ns), Stamp(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = ns } }, created: true));

        /// <summary>Records that a manager set these fields; an Update (or a forced apply) takes them from the other managers.</summary>
        public void Own(string key, string manager, string operation, HashSet<string> paths, bool takeFromOthers = false)
        {
            if (!Owners.TryGetValue(key, out var owners))
            {
                owners = new Dictionary<string, (string, HashSet<string>)>(StringComparer.Ordinal);
                Owners[key] = owners;
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

        /// <summary>A field path's parts; a label or annotation key is one part, dots and all ("f:app.kubernetes.io/name", as the API server writes it).</summary>
        private static IEnumerable<string> FieldParts(string path)
        {
            foreach (string map in new[] { "metadata.labels.", "metadata.annotations." })
            {
                if (path.StartsWith(map, StringComparison.Ordinal))
                {
                    return new[] { "metadata", map[9..^1], path[map.Length..] };
                }
            }

            return path.Split('.');
        }

        /// <summary>metadata.managedFields as the API server writes it (FieldsV1), plus a pending dry-run apply's entry.</summary>
        public JsonObject WithManagedFields(string key, JsonObject obj, (string Manager, HashSet<string> Paths)? pending = null)
        {
            var entries = new JsonArray();
            IEnumerable<(string Manager, string Operation, HashSet<string> Paths)> owners = Owners.TryGetValue(key, out var known)
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
                    foreach (string part in FieldParts(path))
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
    }
}
