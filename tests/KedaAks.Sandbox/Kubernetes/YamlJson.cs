using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace KedaAks.Sandbox.Kubernetes
{
    /// <summary>YAML to JSON the way the API server reads it (YAML 1.2 core schema): plain 100 is a number, "100" a string.</summary>
    public static class YamlJson
    {
        private static readonly Regex Integer = new(@"^[-+]?(0|[1-9][0-9]*)$");
        private static readonly Regex Float = new(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$");

        public static List<JsonNode?> Documents(string yaml)
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            var documents = new List<JsonNode?>();
            foreach (YamlDocument document in stream.Documents)
            {
                documents.Add(Convert(document.RootNode));
            }

            return documents;
        }

        public static JsonNode? Convert(YamlNode node) => node switch
        {
            YamlMappingNode mapping => Mapping(mapping),
            YamlSequenceNode sequence => Sequence(sequence),
            YamlScalarNode scalar => Scalar(scalar),
            _ => null,
        };

        private static JsonObject Mapping(YamlMappingNode mapping)
        {
            var result = new JsonObject();
            foreach (KeyValuePair<YamlNode, YamlNode> pair in mapping.Children)
            {
                result[((YamlScalarNode)pair.Key).Value ?? string.Empty] = Convert(pair.Value);
            }

            return result;
        }

        private static JsonArray Sequence(YamlSequenceNode sequence)
        {
            var result = new JsonArray();
            foreach (YamlNode child in sequence.Children)
            {
                result.Add(Convert(child));
            }

            return result;
        }

        private static JsonNode? Scalar(YamlScalarNode scalar)
        {
            string value = scalar.Value ?? string.Empty;
            if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
            {
                return JsonValue.Create(value);
            }

            switch (value)
            {
                case "" or "~" or "null" or "Null" or "NULL": return null;
                case "true" or "True" or "TRUE": return JsonValue.Create(true);
                case "false" or "False" or "FALSE": return JsonValue.Create(false);
            }

            if (Integer.IsMatch(value) && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long integer))
            {
                return JsonValue.Create(integer);
            }

            if (Float.IsMatch(value))
            {
                return JsonValue.Create(double.Parse(value, CultureInfo.InvariantCulture));
            }

            return JsonValue.Create(value);
        }
    }
}
