using System.Reflection;
using k8s.Exceptions;
using k8s.KubeConfigModels;
using KedaAks.Engine.Manifests;
using YamlDotNet.Serialization;

namespace KedaAks.Engine.Kubernetes
{
    /// <summary>
    /// Kubeconfig text to and from KubernetesClient's models. Reading goes through YamlDotNet's node tree (the parser manifests
    /// use too) and fills the models' fields by their kubeconfig names: YamlDotNet's object deserializer costs a command's first
    /// connection about 300 ms of type inspection and JIT before it reads a line, and KubernetesYaml's registry of every
    /// Kubernetes kind ~0.7 s. Writing (a kubeconfig for helm, -OutFile) keeps YamlDotNet's serializer.
    /// </summary>
    internal static class KubeconfigFiles
    {
        private static readonly ISerializer Writer = new SerializerBuilder().ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull).Build();

        /// <summary>The kubeconfig fields a model declares, by the YAML names of its own [YamlMember] attributes (kubectl's extensions and preferences are not read).</summary>
        private static readonly ConcurrentDictionary<Type, (PropertyInfo Property, string Name)[]> Fields = new();

        public static K8SConfiguration Parse(string text)
        {
            if (YamlJson.Parse(text, typed: false) is not { } root)
            {
                return new K8SConfiguration();
            }

            return (K8SConfiguration)Fill(typeof(K8SConfiguration), root as JsonObject ?? throw Invalid("the file is not a YAML mapping of kubeconfig fields"));
        }

        /// <summary>A kubeconfig file as kubectl reads it; relative certificate paths resolve against its folder (FileName).</summary>
        public static K8SConfiguration Load(string path)
        {
            K8SConfiguration config = Parse(File.ReadAllText(path));
            config.FileName = Path.GetFullPath(path);
            return config;
        }

        public static string Write(K8SConfiguration config) => Writer.Serialize(config);

        /// <summary>
        /// One of KubernetesClient's kubeconfig models filled from its mapping, field by field under the name the model declares; a field that is absent
        /// keeps the model's default, one the model does not declare is ignored (as kubectl ignores it), one of the wrong shape is refused.
        /// </summary>
        private static object Fill(Type model, JsonObject node)
        {
            object filled = Activator.CreateInstance(model)!;
            foreach ((PropertyInfo property, string name) in Fields.GetOrAdd(model, type => type.GetProperties()
                .Select(p => (Property: p, Name: p.GetCustomAttribute<YamlMemberAttribute>()?.Alias))
                .Where(f => f.Name is { Length: > 0 } and not ("extensions" or "preferences")).Select(f => (f.Property, f.Name!)).ToArray()))
            {
                if (node[name] is not null && Read(property.PropertyType, node, name) is { } value)
                {
                    property.SetValue(filled, value);
                }
            }

            return filled;
        }

        private static object? Read(Type type, JsonObject node, string name)
        {
            Type? element = type.IsGenericType && type.GetGenericArguments() is [Type only] && typeof(IEnumerable<>).MakeGenericType(only).IsAssignableFrom(type)
                && type != typeof(string) && !type.IsAssignableTo(typeof(System.Collections.IDictionary)) ? only : null;
            return type switch
            {
                _ when type == typeof(string) => Text(node, name),
                _ when type == typeof(bool) => Flag(node, name),
                _ when type == typeof(Dictionary<string, string>) => Map(node, name),
                _ when element == typeof(string) => Texts(node, name),
                // exec's env: a list of name/value pairs
                _ when element == typeof(Dictionary<string, string>) => Items(node, name, v => new Dictionary<string, string>
                {
                    ["name"] = Text(v, "name") ?? string.Empty, ["value"] = Text(v, "value") ?? string.Empty,
                }),
                _ when element is { Namespace: "k8s.KubeConfigModels" } => Items(node, name, e => Fill(element, e)) is { } items ? Typed(element, items) : null,
                { Namespace: "k8s.KubeConfigModels" } => Part(node, name, e => Fill(type, e)),
                _ => null,
            };
        }

        private static System.Collections.IList Typed(Type element, List<object> items)
        {
            var list = (System.Collections.IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element))!;
            items.ForEach(item => list.Add(item));
            return list;
        }

        private static string? Text(JsonObject parent, string name) => parent[name] switch
        {
            null => null,
            JsonValue value => value.GetValue<string>(),
            _ => throw Invalid($"'{name}' must be a single value"),
        };

        /// <summary>A boolean as YAML 1.1 (kubectl's YAML) writes it: true/false, yes/no, on/off, y/n, in any case.</summary>
        private static bool Flag(JsonObject parent, string name) => Text(parent, name)?.ToLowerInvariant() switch
        {
            null => false,
            "true" or "yes" or "on" or "y" => true,
            "false" or "no" or "off" or "n" => false,
            { } text => throw Invalid($"'{name}' must be true or false, not '{text}'"),
        };

        private static T? Part<T>(JsonObject parent, string name, Func<JsonObject, T> read)
            where T : class => parent[name] switch
            {
                null => null,
                JsonObject part => read(part),
                _ => throw Invalid($"'{name}' must be a mapping"),
            };

        private static List<T>? Items<T>(JsonObject parent, string name, Func<JsonObject, T> read) => parent[name] switch
        {
            null => null,
            JsonArray items => items.Select(i => i as JsonObject ?? throw Invalid($"each entry of '{name}' must be a mapping")).Select(read).ToList(),
            _ => throw Invalid($"'{name}' must be a list"),
        };

        private static List<string>? Texts(JsonObject parent, string name) => parent[name] switch
        {
            null => null,
            JsonArray items => items.Select(i => i is JsonValue value ? value.GetValue<string>() : throw Invalid($"each entry of '{name}' must be a single value")).ToList(),
            _ => throw Invalid($"'{name}' must be a list"),
        };

        /// <summary>A map of text; a list of text is joined with commas (as-user-extra: kubectl's map of lists, each key's values one Impersonate-Extra header).</summary>
        private static Dictionary<string, string>? Map(JsonObject parent, string name) => parent[name] switch
        {
            null => null,
            JsonObject map => map.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value switch
            {
                JsonValue value => value.GetValue<string>(),
                JsonArray values => string.Join(",", values.Select(v => v is JsonValue one ? one.GetValue<string>() : throw Invalid($"each value of '{name}' must be text"))),
                _ => throw Invalid($"the values of '{name}' must be text or lists of text"),
            }, StringComparer.Ordinal),
            _ => throw Invalid($"'{name}' must be a mapping"),
        };

        /// <summary>Certificate data KubernetesClient could not read (bad base64, or not a PEM certificate and key), as the kubeconfig's problem.</summary>
        public static KubeConfigException CertificateProblem(string cluster, Exception exception) => new(
            $"the certificate data of cluster '{cluster}' cannot be read (certificate-authority-data, client-certificate-data and client-key-data must be base64 of PEM): "
            + exception.Message);   // no inner exception: the boundary reports the innermost message, and this one names the field

        private static KubeConfigException Invalid(string problem) => new($"The kubeconfig is not valid: {problem}.");
    }
}
