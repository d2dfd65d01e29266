using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace KedaAks.Engine.Manifests
{
    /// <summary>
    /// YAML straight to the JSON an apply sends, with YAML 1.2's core schema for plain scalars (null, true/false, integers,
    /// floats; anything quoted or tagged !!str stays text), in one pass over YamlDotNet's node tree: no object graph in between,
    /// and no registry of every Kubernetes kind to build first.
    /// </summary>
    internal static class YamlJson
    {
        private static readonly Regex Integer = new(@"^[-+]?[0-9]+$", RegexOptions.CultureInvariant);
        private static readonly Regex Float = new(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant);

        /// <summary>
        /// The one document of <paramref name="yaml"/> as JSON (null for an empty document); with <paramref name="typed"/> false every
        /// scalar stays the text it was written as (a kubeconfig's fields are all strings, "0123" included).
        /// </summary>
        public static JsonNode? Parse(string yaml, bool typed = true)
        {
            var stream = new YamlStream();
            try
            {
                stream.Load(new StringReader(yaml));
            }
            catch (System.InvalidOperationException)
            {
                // The node tree's loader can fail on broken flow collections without a position; YamlDotNet's parser names it.
                new YamlDotNet.Serialization.Deserializer().Deserialize<object>(yaml);
                throw;
            }

            return stream.Documents.Count == 0 ? null : new Converter(typed, yaml.Length).Convert(stream.Documents[0].RootNode);
        }

        /// <summary>A node tree built in memory (a KedaAks resource's): no text, so no alias budget.</summary>
        public static JsonNode? Convert(YamlNode node, bool typed = true) => new Converter(typed, null).Convert(node);

        /// <summary>
        /// One document's conversion. Aliases are copied out, as YAML means them; an alias inside the node it names (which would never
        /// end), or aliases that expand a small text into millions of nodes ("billion laughs"), are refused as kubectl's YAML reader
        /// refuses them, and merge keys (&lt;&lt;: *defaults) are merged as kubectl merges them, the mapping's own keys first.
        /// </summary>
        private sealed class Converter(bool typed, int? textLength)
        {
            private readonly HashSet<YamlNode> _open = new(ReferenceEqualityComparer.Instance);

            // A text of n characters holds fewer than n nodes of its own; what aliases add beyond four times that is an attack, not a manifest.
            private long _budget = textLength is { } length ? 10_000 + (4L * length) : long.MaxValue;

            public JsonNode? Convert(YamlNode node)
            {
                if (--_budget < 0)
                {
                    throw new YamlException(node.Start, node.End, "The document's aliases expand to too many nodes (excessive aliasing).");
                }

                if (node is YamlScalarNode scalar)
                {
                    return typed ? Scalar(scalar) : IsNull(scalar) ? null : JsonValue.Create(scalar.Value ?? string.Empty);
                }

                if (!_open.Add(node))
                {
                    throw new YamlException(node.Start, node.End, "An alias refers to a node that contains it (the anchor contains itself).");
                }

                try
                {
                    return node switch
                    {
                        YamlMappingNode mapping => Mapping(mapping),
                        YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(Convert).ToArray()),
                        _ => null,
                    };
                }
                finally
                {
                    _open.Remove(node);
                }
            }

            private JsonObject Mapping(YamlMappingNode mapping)
            {
                var result = new JsonObject();
                var merged = new List<YamlMappingNode>();
                foreach (KeyValuePair<YamlNode, YamlNode> pair in mapping.Children)
                {
                    if (pair.Key is YamlScalarNode { Value: "<<" } key && IsPlain(key) && Merged(pair.Value) is { } sources)
                    {
                        merged.AddRange(sources);
                        continue;
                    }

                    result.Add(Key(pair.Key), Convert(pair.Value));
                }

                // A merged mapping adds only the keys the mapping does not set itself; of several, the earlier wins. Converted as any node
                // is, so a merge key inside the mapping it names is refused like any such alias.
                foreach (YamlMappingNode source in merged)
                {
                    foreach (var (name, value) in (JsonObject)Convert(source)!)
                    {
                        if (!result.ContainsKey(name))
                        {
                            result[name] = value?.DeepClone();
                        }
                    }
                }

                return result;
            }

            private static List<YamlMappingNode>? Merged(YamlNode value) => value switch
            {
                YamlMappingNode one => new List<YamlMappingNode> { one },
                YamlSequenceNode many when many.Children.All(c => c is YamlMappingNode) => many.Children.Cast<YamlMappingNode>().ToList(),
                _ => null,
            };
        }

        private static string Key(YamlNode key) => key is YamlScalarNode scalar ? scalar.Value ?? string.Empty : key.ToString();

        private static bool IsPlain(YamlScalarNode scalar) => scalar.Style is ScalarStyle.Plain or ScalarStyle.Any && (scalar.Tag.IsEmpty || scalar.Tag.Value == "?");

        private static bool IsNull(YamlScalarNode scalar) => IsPlain(scalar) && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";

        private static JsonNode? Scalar(YamlScalarNode scalar)
        {
            string text = scalar.Value ?? string.Empty;
            if (!IsPlain(scalar))
            {
                return JsonValue.Create(text);
            }

            if (IsNull(scalar))
            {
                return null;
            }

            switch (text)
            {
                case "true" or "True" or "TRUE":
                    return JsonValue.Create(true);
                case "false" or "False" or "FALSE":
                    return JsonValue.Create(false);
            }

            if (Integer.IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long integer))
            {
                return JsonValue.Create(integer);
            }

            if (Float.IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double number))
            {
                return JsonValue.Create(number);
            }

            return JsonValue.Create(text);
        }
    }
}
