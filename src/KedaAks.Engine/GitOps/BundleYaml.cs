using YamlDotNet.Serialization;

namespace KedaAks.Engine.GitOps
{
    /// <summary>
    /// The bundle's YAML, by YamlDotNet: maps keep their order, and every string a YAML reader could take for anything else
    /// ("true", "1.0", "null", a GUID that reads as a number) is quoted, so kubectl, kustomize, Flux and Argo CD read what was meant.
    /// </summary>
    internal static class BundleYaml
    {
        private static readonly ISerializer Serializer = new SerializerBuilder()
            .WithQuotingNecessaryStrings()
            .WithIndentedSequences()
            .DisableAliases()
            .WithNewLine("\n")
            .Build();

        /// <summary>One document.</summary>
        public static string Document(object document) => Serializer.Serialize(document);

        /// <summary>Several documents, each after a "---" line.</summary>
        public static string Documents(IEnumerable<object> documents)
        {
            var text = new StringBuilder();
            foreach (object document in documents)
            {
                text.Append("---\n").Append(Serializer.Serialize(document));
            }

            return text.ToString();
        }

        /// <summary>An ordered map, for building documents inline.</summary>
        public static Dictionary<string, object?> Map(params (string Key, object? Value)[] entries)
        {
            var map = new Dictionary<string, object?>();
            foreach ((string key, object? value) in entries)
            {
                if (value is not null)
                {
                    map[key] = value;
                }
            }

            return map;
        }
    }
}
