using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;

namespace KedaAks.Sandbox.Kubernetes
{
    /// <summary>Field paths ("spec.triggers", "metadata.labels.app") and JSON merges, as managedFields and patches use them.</summary>
    public static class FieldPaths
    {
        /// <summary>Paths of the fields an object sets (lists are atomic), metadata identity and status left out.</summary>
        public static HashSet<string> Leaves(JsonObject obj)
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

        public static JsonNode? Read(JsonNode? node, string path)
        {
            foreach (string part in Split(path))
            {
                node = (node as JsonObject)?[part];
            }

            return node;
        }

        public static void Remove(JsonObject obj, string path)
        {
            string[] parts = Split(path);
            JsonObject? node = obj;
            for (int i = 0; i < parts.Length - 1 && node is not null; i++)
            {
                node = node[parts[i]] as JsonObject;
            }

            node?.Remove(parts[^1]);
        }

        /// <summary>Label and annotation keys hold dots and slashes: only the first two segments of metadata paths split.</summary>
        public static string[] Split(string path) =>
            path.StartsWith("metadata.labels.", StringComparison.Ordinal) || path.StartsWith("metadata.annotations.", StringComparison.Ordinal)
                ? path.Split('.', 3) : path.Split('.');

        /// <summary>A JSON merge patch (RFC 7386): null removes, objects merge, anything else replaces.</summary>
        public static void Merge(JsonObject target, JsonObject patch)
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

        /// <summary>The object without what every write changes (managedFields, resourceVersion, generation): for no-op detection.</summary>
        public static JsonObject Comparable(JsonObject obj)
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
    }
}
