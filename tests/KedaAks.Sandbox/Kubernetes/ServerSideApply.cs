using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;

namespace KedaAks.Sandbox.Kubernetes
{
    /// <summary>Server-side apply: field ownership per manager, conflicts unless forced, fields the manager dropped are removed, dryRun=All.</summary>
    public sealed class ServerSideApply
    {
        private readonly ClusterStore _store;
        private readonly ObjectWrites _writes;

        public ServerSideApply(ClusterStore store, ObjectWrites writes)
        {
            _store = store;
            _writes = writes;
        }

        public (int, JsonNode?) Apply(ResourceType type, string? ns, string name, JsonObject applied, string? manager, bool force, bool dryRun)
        {
            if (string.IsNullOrEmpty(manager))
            {
                return KubernetesStatus.Status(400, "BadRequest", "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch");
            }

            if (Admission.Check(type, ns, name, applied) is { } problem)
            {
                return problem;
            }

            string key = ClusterStore.Key(type, ns, name);
            HashSet<string> leaves = FieldPaths.Leaves(applied);
            _store.Objects.TryGetValue(key, out JsonObject? current);
            Dictionary<string, (string Operation, HashSet<string> Paths)> owners = _store.Owners.TryGetValue(key, out var known) ? known : new();
            if (current is not null && !force && Conflicts(current, applied, leaves, owners, manager) is { Count: > 0 } conflicts)
            {
                return KubernetesStatus.Status(409, "Conflict",
                    $"Apply failed with {conflicts.Count} conflict{(conflicts.Count > 1 ? "s" : string.Empty)}: "
                        + $"{string.Join("; ", conflicts.Select(c => $"conflict with \"{c.Manager}\": .{c.Path}"))}",
                    name, type);
            }

            var result = current is null ? new JsonObject() : (JsonObject)current.DeepClone();
            if (current is not null && owners.TryGetValue(manager, out var previous))
            {
                foreach (string dropped in previous.Paths.Where(p => !leaves.Contains(p) && !owners.Any(o => o.Key != manager && o.Value.Paths.Contains(p))))
                {
                    FieldPaths.Remove(result, dropped);
                }
            }

            FieldPaths.Merge(result, applied);
            if (_writes.Admit(type, ns, result) is { } invalid)
            {
                return invalid;
            }

            if (current is not null)
            {
                return _writes.Commit(type, key, current, result, manager, "Apply", leaves, dryRun, replaceOwners: force);
            }

            if (type.Namespaced && !_store.NamespaceExists(ns!))
            {
                return KubernetesStatus.Status(404, "NotFound", $"namespaces \"{ns}\" not found", ns, _store.Namespaces);
            }

            JsonObject stored = _store.Stamp(result, created: true);
            if (!dryRun)
            {
                _store.Own(key, manager, "Apply", leaves, force);
                _store.Put(key, stored);
                _writes.Written(type, stored);
            }

            return (201, _store.WithManagedFields(key, stored.DeepClone().AsObject(), dryRun ? (manager, leaves) : null));
        }

        /// <summary>Fields this apply changes that another manager owns.</summary>
        private static List<(string Manager, string Path)> Conflicts(JsonObject current, JsonObject applied, HashSet<string> leaves,
            Dictionary<string, (string Operation, HashSet<string> Paths)> owners, string manager)
        {
            var conflicts = new List<(string Manager, string Path)>();
            foreach (string path in leaves)
            {
                JsonNode? have = FieldPaths.Read(current, path);
                if (have is not null && !JsonNode.DeepEquals(have, FieldPaths.Read(applied, path)))
                {
                    conflicts.AddRange(owners.Where(o => o.Key != manager && o.Value.Paths.Contains(path)).Select(o => (o.Key, path)));
                }
            }

            return conflicts;
        }
    }
}
