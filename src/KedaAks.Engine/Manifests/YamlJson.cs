using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace KedaAks.Engine.Manifests
{
    /// <summary>
    /// YAML straight to the JSON an apply sends, with YAML 1.2's core schema for plain scalars (null, true/false, integers,
    /// floats; anything quoted or tagged !!str stays text), in one pass over YamlDotNet's parsing events: no node tree and no
    /// object graph in between, and no registry of every Kubernetes kind to build first.
    /// </summary>
    internal static class YamlJson
    {
        private static readonly Regex Integer = new(@"^[-+]?[0-9]+$", RegexOptions.CultureInvariant);
        private static readonly Regex Float = new(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant);

        /// <summary>
        /// The first document of <paramref name="yaml"/> as JSON (null for an empty text), any later one read for errors only; with
        /// <paramref name="typed"/> false every scalar stays the text it was written as (a kubeconfig's fields are all strings, "0123" included).
        /// </summary>
        public static JsonNode? Parse(string yaml, bool typed = true)
        {
            try
            {
                return Read(new Parser(new StringReader(yaml)), typed, yaml.Length);
            }
            catch (System.InvalidOperationException)
            {
                // YamlDotNet's scanner can fail on broken flow collections without a position; its deserializer names it.
                new YamlDotNet.Serialization.Deserializer().Deserialize<object>(yaml);
                throw;
            }
        }

        private static JsonNode? Read(Parser parser, bool typed, int length)
        {
            parser.Consume<StreamStart>();
            if (parser.TryConsume<StreamEnd>(out _))
            {
                return null;
            }

            parser.Consume<DocumentStart>();
            JsonNode? root = new Reader(parser, typed, length).Node();
            parser.Consume<DocumentEnd>();
            while (parser.MoveNext())
            {
            }

            return root;
        }

        /// <summary>A node tree built in memory (a KedaAks resource's), read from the events it emits: no text, so no alias budget.</summary>
        public static JsonNode? Convert(YamlNode node, bool typed = true)
        {
            var events = new EventList();
            ManifestSerializer.Emit(events, node);
            events.MoveNext();
            return new Reader(events, typed, null).Node();
        }

        /// <summary>
        /// One document's reader. Aliases are copied out, as YAML means them; an alias inside the node it names (which would never end),
        /// or aliases that expand a small text into millions of nodes ("billion laughs"), are refused as kubectl's YAML reader refuses them;
        /// merge keys (&lt;&lt;: *defaults) are merged as kubectl merges them, the mapping's own keys first; a key given twice, or a key that
        /// is a mapping or a sequence, is refused with its position, as kubectl refuses it.
        /// </summary>
        private sealed class Reader(IParser parser, bool typed, int? textLength)
        {
            private readonly Dictionary<string, Anchored> _anchors = new(StringComparer.Ordinal);

            // A text of n characters holds fewer than n nodes of its own; what aliases add beyond four times that is an attack, not a manifest.
            private readonly long _budget = textLength is { } length ? 10_000 + (4L * length) : long.MaxValue;
            private long _nodes;

            public JsonNode? Node()
            {
                ParsingEvent next = parser.Consume<ParsingEvent>();
                long first = Count(1, next);
                switch (next)
                {
                    case AnchorAlias alias:
                        Anchored copied = Resolve(alias);
                        Count(copied.Size - 1, alias);
                        return copied.Node?.DeepClone();
                    case Scalar scalar:
                        JsonNode? value = Value(scalar);
                        Define(scalar.Anchor)?.Close(value, scalar.Value, 1);
                        return value;
                    case SequenceStart sequence:
                        Anchored? anchoredArray = Define(sequence.Anchor);
                        var array = new JsonArray();
                        while (!parser.TryConsume<SequenceEnd>(out _))
                        {
                            array.Add(Node());
                        }

                        anchoredArray?.Close(array, null, _nodes - first + 1);
                        return array;
                    case MappingStart mapping:
                        Anchored? anchoredObject = Define(mapping.Anchor);
                        JsonObject result = Mapping();
                        anchoredObject?.Close(result, null, _nodes - first + 1);
                        return result;
                    default:
                        throw new YamlException(next.Start, next.End, $"Expected a node, found {next.GetType().Name}.");
                }
            }

            private JsonObject Mapping()
            {
                var result = new JsonObject();
                var merged = new List<JsonObject>();
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    ParsingEvent keyEvent = parser.Current!;
                    string key = Key();
                    JsonNode? value = Node();
                    if (key == "<<" && keyEvent is Scalar mergeKey && IsPlain(mergeKey.Style, mergeKey.Tag) && Merged(value) is { } sources)
                    {
                        merged.AddRange(sources);
                        continue;
                    }

                    if (!result.TryAdd(key, value))
                    {
                        throw new YamlException(keyEvent.Start, keyEvent.End, $"Duplicate key '{key}': a mapping names each key once.");
                    }
                }

                // A merged mapping adds only the keys the mapping does not set itself; of several, the earlier wins.
                foreach (JsonObject source in merged)
                {
                    foreach (var (name, value) in source)
                    {
                        if (!result.ContainsKey(name))
                        {
                            result[name] = value?.DeepClone();
                        }
                    }
                }

                return result;
            }

            /// <summary>A mapping key as the text it was written as (an alias's too); JSON has no keys that are mappings or sequences.</summary>
            private string Key()
            {
                ParsingEvent next = parser.Current!;
                if (next is Scalar scalar)
                {
                    Node();
                    return scalar.Value;
                }

                if (next is AnchorAlias alias && Resolve(alias) is { Text: { } text })
                {
                    Node();
                    return text;
                }

                throw new YamlException(next.Start, next.End, "A mapping key is a mapping or a sequence; Kubernetes manifests and kubeconfigs have text keys only.");
            }

            private static List<JsonObject>? Merged(JsonNode? value) => value switch
            {
                JsonObject one => new List<JsonObject> { one },
                JsonArray many when many.All(c => c is JsonObject) => many.Cast<JsonObject>().ToList(),
                _ => null,
            };

            private JsonNode? Value(Scalar scalar) => typed ? Typed(scalar.Value, scalar.Style, scalar.Tag)
                : IsNull(scalar.Value, scalar.Style, scalar.Tag) ? null : JsonValue.Create(scalar.Value);

            /// <summary>The node an anchor names from here on, open until it is complete (a later anchor of the same name takes over).</summary>
            private Anchored? Define(AnchorName anchor)
            {
                if (anchor.IsEmpty)
                {
                    return null;
                }

                var anchored = new Anchored();
                _anchors[anchor.Value] = anchored;
                return anchored;
            }

            private Anchored Resolve(AnchorAlias alias)
            {
                if (!_anchors.TryGetValue(alias.Value.Value, out Anchored? anchored))
                {
                    throw new YamlException(alias.Start, alias.End, $"The alias *{alias.Value} names no anchor defined before it.");
                }

                return anchored.Complete ? anchored
                    : throw new YamlException(alias.Start, alias.End, "An alias refers to a node that contains it (the anchor contains itself).");
            }

            private long Count(long nodes, ParsingEvent at)
            {
                _nodes += nodes;
                return _nodes <= _budget ? _nodes : throw new YamlException(at.Start, at.End, "The document's aliases expand to too many nodes (excessive aliasing).");
            }
        }

        /// <summary>An anchor's node once complete, its size in nodes (what each alias of it costs) and, for a scalar, its text (as a key).</summary>
        private sealed class Anchored
        {
            public bool Complete { get; private set; }

            public JsonNode? Node { get; private set; }

            public string? Text { get; private set; }

            public long Size { get; private set; }

            public void Close(JsonNode? node, string? text, long size) => (Complete, Node, Text, Size) = (true, node, text, size);
        }

        /// <summary>Events emitted in memory, read back as a parser reads them.</summary>
        private sealed class EventList : IEmitter, IParser
        {
            private readonly List<ParsingEvent> _events = new();
            private int _at = -1;

            public ParsingEvent? Current => _at >= 0 && _at < _events.Count ? _events[_at] : null;

            public void Emit(ParsingEvent @event) => _events.Add(@event);

            public bool MoveNext() => ++_at < _events.Count;
        }

        private static bool IsPlain(ScalarStyle style, TagName tag) => style is ScalarStyle.Plain or ScalarStyle.Any && (tag.IsEmpty || tag.Value == "?");

        private static bool IsNull(string text, ScalarStyle style, TagName tag) => IsPlain(style, tag) && text is "" or "~" or "null" or "Null" or "NULL";

        private static JsonNode? Typed(string text, ScalarStyle style, TagName tag)
        {
            if (!IsPlain(style, tag))
            {
                return JsonValue.Create(text);
            }

            if (IsNull(text, style, tag))
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
