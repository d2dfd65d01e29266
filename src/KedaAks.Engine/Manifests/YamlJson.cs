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

            return stream.Documents.Count == 0 ? null : Convert(stream.Documents[0].RootNode, typed);
        }

        public static JsonNode? Convert(YamlNode node, bool typed = true) => node switch
        {
            YamlMappingNode mapping => new JsonObject(mapping.Children.Select(p => System.Collections.Generic.KeyValuePair.Create(Key(p.Key), Convert(p.Value, typed)))),
            YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(n => Convert(n, typed)).ToArray()),
            YamlScalarNode scalar => typed ? Scalar(scalar) : IsNull(scalar) ? null : JsonValue.Create(scalar.Value ?? string.Empty),
            _ => null,
        };

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
