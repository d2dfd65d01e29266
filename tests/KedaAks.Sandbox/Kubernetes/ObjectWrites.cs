using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using KedaAks.Sandbox.Kubernetes.Controllers;

namespace KedaAks.Sandbox.Kubernetes
{
    /// <summary>
    /// The REST verbs on stored objects: list (label selectors), create, replace (resourceVersion preconditions),
    /// JSON merge patch and delete, each with dryRun=All, and the controllers told of every change.
    /// </summary>
    public sealed class ObjectWrites
    {
        private readonly ClusterStore _store;
        private readonly IReadOnlyList<IKubernetesController> _controllers;

        public ObjectWrites(ClusterStore store, IReadOnlyList<IKubernetesController> controllers)
        {
            _store = store;
            _controllers = controllers;
        }

        /// <summary>Validating admission webhooks, called after the schema (dry runs included, as for webhooks without side effects).</summary>
        public List<IValidatingWebhook> Webhooks { get; } = new();

        /// <summary>The CRD schema's verdict, then every webhook's; null when the write may be stored.</summary>
        public (int, JsonNode?)? Admit(ResourceType type, string? ns, JsonObject obj) =>
            Admission.Admit(type, obj) ?? Webhooks.Select(w => w.Review(_store, type, ns, obj)).FirstOrDefault(r => r is not null);

        public (int, JsonNode?) List(ResourceType type, string? ns, string? labelSelector)
        {
            var selector = (labelSelector ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToList();
            string scoped = $"{type.Group}|{type.Plural}|{(type.Namespaced && ns is not null ? ns : string.Empty)}|";
            var items = _store.Objects.Where(p => p.Key.StartsWith(scoped, StringComparison.Ordinal)
                    || (type.Namespaced && ns is null && p.Key.StartsWith($"{type.Group}|{type.Plural}|", StringComparison.Ordinal)))
                .Where(p => selector.All(s => p.Value["metadata"]?["labels"]?[s[0]]?.GetValue<string>() == s[1]))
                .OrderBy(p => p.Value["metadata"]!["namespace"]?.GetValue<string>(), StringComparer.Ordinal)
                .ThenBy(p => p.Value["metadata"]!["name"]!.GetValue<string>(), StringComparer.Ordinal)
                .Select(p => (JsonNode)_store.WithManagedFields(p.Key, p.Value.DeepClone().AsObject())).ToArray();
            return (200, new JsonObject
            {
                ["apiVersion"] = type.ApiVersion, ["kind"] = type.Kind + "List",
                ["metadata"] = new JsonObject { ["resourceVersion"] = _store.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                ["items"] = new JsonArray(items),
            });
        }

        /// <summary>An object as a GET answers it: with metadata.managedFields, as the API server lists and reads objects.</summary>
        public (int, JsonNode?) Get(ResourceType type, string? ns, string name) =>
            _store.Objects.TryGetValue(ClusterStore.Key(type, ns, name), out JsonObject? found)
                ? (200, _store.WithManagedFields(ClusterStore.Key(type, ns, name), found.DeepClone().AsObject()))
                : KubernetesStatus.ObjectNotFound(type, name);

        public (int, JsonNode?) Create(ResourceType type, string? ns, JsonObject obj, string manager, bool dryRun)
        {
            string? name = obj["metadata"]?["name"]?.GetValue<string>();
            if (Admission.Check(type, ns, name, obj) is { } problem)
            {
                return problem;
            }

            string key = ClusterStore.Key(type, ns, name!);
            if (type.Namespaced && !_store.NamespaceExists(ns!))
            {
                return KubernetesStatus.Status(404, "NotFound", $"namespaces \"{ns}\" not found", ns, _store.Namespaces);
            }

            if (_store.Objects.ContainsKey(key))
            {
                return KubernetesStatus.Status(409, "AlreadyExists", $"{type.Qualified} \"{name}\" already exists", name, type);
            }

            if (Admit(type, ns, obj) is { } invalid)
            {
                return invalid;
            }

            JsonObject stored = _store.Stamp(obj, created: true);
            if (!dryRun)
            {
                _store.Own(key, manager, "Update", FieldPaths.Leaves(obj));
                _store.Put(key, stored);
                Written(type, stored);
            }

            return (201, _store.WithManagedFields(key, stored.DeepClone().AsObject()));
        }

        public (int, JsonNode?) Replace(ResourceType type, string? ns, string name, JsonObject obj, string manager, bool dryRun)
        {
            if (Admission.Check(type, ns, name, obj) is { } problem)
            {
                return problem;
            }

            string key = ClusterStore.Key(type, ns, name);
            if (!_store.Objects.TryGetValue(key, out JsonObject? current))
            {
                return KubernetesStatus.ObjectNotFound(type, name);
            }

            string? expected = obj["metadata"]?["resourceVersion"]?.GetValue<string>();
            if (!string.IsNullOrEmpty(expected) && expected != current["metadata"]!["resourceVersion"]!.GetValue<string>())
            {
                return KubernetesStatus.Status(409, "Conflict",
                    $"Operation cannot be fulfilled on {type.Qualified} \"{name}\": the object has been modified; please apply your changes to the latest version and try again", name, type);
            }

            if (Admit(type, ns, obj) is { } invalid)
            {
                return invalid;
            }

            return Commit(type, key, current, obj, manager, "Update", FieldPaths.Leaves(obj), dryRun, replaceOwners: false);
        }

        public (int, JsonNode?) MergePatch(ResourceType type, string? ns, string name, JsonObject patch, string manager, bool dryRun)
        {
            string key = ClusterStore.Key(type, ns, name);
            if (!_store.Objects.TryGetValue(key, out JsonObject? current))
            {
                return KubernetesStatus.ObjectNotFound(type, name);
            }

            var merged = (JsonObject)current.DeepClone();
            FieldPaths.Merge(merged, patch);
            if (Admit(type, ns, merged) is { } invalid)
            {
                return invalid;
            }

            return Commit(type, key, current, merged, manager, "Update", FieldPaths.Leaves(patch), dryRun, replaceOwners: false);
        }

        /// <summary>Stores the next state of an existing object: identity kept, a no-op changes nothing, a spec change bumps generation.</summary>
        public (int, JsonNode?) Commit(ResourceType type, string key, JsonObject current, JsonObject next, string manager, string operation, HashSet<string> paths, bool dryRun, bool replaceOwners)
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
            if (JsonNode.DeepEquals(FieldPaths.Comparable(current), FieldPaths.Comparable(next)))
            {
                if (!dryRun)
                {
                    _store.Own(key, manager, operation, paths, replaceOwners);
                }

                return (200, _store.WithManagedFields(key, current.DeepClone().AsObject()));
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

            next["metadata"]!["resourceVersion"] = _store.NextResourceVersion();
            _store.Own(key, manager, operation, paths, replaceOwners);
            _store.Put(key, next);
            Written(type, next);
            return (200, _store.WithManagedFields(key, next.DeepClone().AsObject()));
        }

        public (int, JsonNode?) Delete(ResourceType type, string? ns, string name, bool dryRun)
        {
            string key = ClusterStore.Key(type, ns, name);
            if (!_store.Objects.TryGetValue(key, out JsonObject? current))
            {
                return KubernetesStatus.ObjectNotFound(type, name);
            }

            if (!dryRun)
            {
                _store.Objects.Remove(key);
                _store.Owners.Remove(key);
                foreach (IKubernetesController controller in _controllers)
                {
                    controller.Deleted(_store, type, name, current);
                }
            }

            return (200, new JsonObject
            {
                ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Success",
                ["details"] = new JsonObject { ["name"] = name, ["group"] = type.Group, ["kind"] = type.Plural, ["uid"] = current["metadata"]!["uid"]?.DeepClone() },
            });
        }

        /// <summary>Tells every controller of a stored write (they may change the stored object).</summary>
        public void Written(ResourceType type, JsonObject stored)
        {
            foreach (IKubernetesController controller in _controllers)
            {
                controller.Written(_store, type, stored);
            }
        }
    }
}
