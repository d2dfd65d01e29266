namespace KedaAks.Engine.Kubernetes
{
    /// <summary>
    /// Whether a server-side apply would change nothing, decided from the object as the cluster holds it: the field manager's
    /// Apply entry in metadata.managedFields names exactly the fields the new configuration sets (so none would be released), and
    /// each of them already holds the configured value (so none would change, and no conflict could arise). Anything this cannot
    /// read with certainty (another apiVersion, list items keyed in the field set, a null, metadata beyond name, namespace, labels
    /// and annotations) counts as a change, and the apply is sent.
    /// </summary>
    internal static class AppliedFields
    {
        public static bool Unchanged(JsonObject desired, JsonObject live, string manager)
        {
            if (OwnedByApply(live, manager, desired["apiVersion"]?.GetValue<string>()) is not { } owned || Configured(desired) is not { } configured)
            {
                return false;
            }

            return owned.SetEquals(configured.Keys) && configured.All(field => JsonNode.DeepEquals(field.Value, Read(live, field.Key)));
        }

        /// <summary>The leaf paths of the manager's one Apply entry, or null when there is none or it holds what this does not read.</summary>
        private static HashSet<string>? OwnedByApply(JsonObject live, string manager, string? apiVersion)
        {
            if (live["metadata"]?["managedFields"] is not JsonArray entries)
            {
                return null;
            }

            var mine = entries.OfType<JsonObject>().Where(e => e["manager"]?.GetValue<string>() == manager && e["operation"]?.GetValue<string>() == "Apply"
                && e["subresource"] is null).ToList();
            if (mine.Count != 1 || mine[0]["apiVersion"]?.GetValue<string>() != apiVersion || mine[0]["fieldsType"]?.GetValue<string>() != "FieldsV1"
                || mine[0]["fieldsV1"] is not JsonObject fields)
            {
                return null;
            }

            var paths = new HashSet<string>(StringComparer.Ordinal);
            bool Walk(JsonObject node, string path)
            {
                bool leaf = true;
                foreach (KeyValuePair<string, JsonNode?> pair in node)
                {
                    if (pair.Key == ".")
                    {
                        continue;
                    }

                    if (!pair.Key.StartsWith("f:", StringComparison.Ordinal) || pair.Value is not JsonObject child)
                    {
                        return false;   // k:, v: or i: (a keyed list): not read here
                    }

                    leaf = false;
                    if (!Walk(child, path.Length == 0 ? pair.Key[2..] : $"{path}\u0000{pair.Key[2..]}"))
                    {
                        return false;
                    }
                }

                if (leaf && path.Length > 0)
                {
                    paths.Add(path);
                }

                return true;
            }

            return Walk(fields, string.Empty) ? paths : null;
        }

        /// <summary>The configuration's leaf values by path (an array is one leaf), or null when it sets what this does not read.</summary>
        private static Dictionary<string, JsonNode>? Configured(JsonObject desired)
        {
            var leaves = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
            bool Walk(JsonNode? node, string path)
            {
                switch (node)
                {
                    case null:
                        return false;
                    case JsonObject o when o.Count > 0:
                        return o.All(pair => Walk(pair.Value, $"{path}\u0000{pair.Key}"));
                    default:
                        leaves[path] = node;
                        return true;
                }
            }

            foreach (KeyValuePair<string, JsonNode?> pair in desired)
            {
                switch (pair.Key)
                {
                    case "apiVersion" or "kind":
                        continue;
                    case "status":
                        return null;
                    case "metadata" when pair.Value is JsonObject metadata:
                        foreach (KeyValuePair<string, JsonNode?> part in metadata)
                        {
                            if (part.Key is "name" or "namespace")
                            {
                                continue;
                            }

                            if (part.Key is not ("labels" or "annotations") || part.Value is not JsonObject map || !map.All(e => Walk(e.Value, $"metadata\u0000{part.Key}\u0000{e.Key}")))
                            {
                                return null;
                            }
                        }

                        continue;
                    default:
                        if (!Walk(pair.Value, pair.Key))
                        {
                            return null;
                        }

                        continue;
                }
            }

            return leaves;
        }

        private static JsonNode? Read(JsonNode? node, string path)
        {
            foreach (string part in path.Split('\u0000'))
            {
                node = node is JsonObject o ? o[part] : null;
            }

            return node;
        }
    }
}
