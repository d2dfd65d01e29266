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

        public static K8SConfiguration Parse(string text)
        {
            if (YamlJson.Parse(text, typed: false) is not { } root)
            {
                return new K8SConfiguration();
            }

            JsonObject config = root as JsonObject ?? throw Invalid("the file is not a YAML mapping of kubeconfig fields");
            return new K8SConfiguration
            {
                ApiVersion = Text(config, "apiVersion"),
                Kind = Text(config, "kind"),
                CurrentContext = Text(config, "current-context"),
                Clusters = (IEnumerable<Cluster>?)Items(config, "clusters", c => new Cluster { Name = Text(c, "name"), ClusterEndpoint = Part(c, "cluster", Endpoint) }) ?? Array.Empty<Cluster>(),
                Users = (IEnumerable<User>?)Items(config, "users", u => new User { Name = Text(u, "name"), UserCredentials = Part(u, "user", Credentials) }) ?? Array.Empty<User>(),
                Contexts = (IEnumerable<Context>?)Items(config, "contexts", c => new Context
                {
                    Name = Text(c, "name"),
                    ContextDetails = Part(c, "context", d => new ContextDetails { Cluster = Text(d, "cluster"), User = Text(d, "user"), Namespace = Text(d, "namespace") }),
                }) ?? Array.Empty<Context>(),
            };
        }

        /// <summary>A kubeconfig file as kubectl reads it; relative certificate paths resolve against its folder (FileName).</summary>
        public static K8SConfiguration Load(string path)
        {
            K8SConfiguration config = Parse(File.ReadAllText(path));
            config.FileName = Path.GetFullPath(path);
            return config;
        }

        public static string Write(K8SConfiguration config) => Writer.Serialize(config);

        private static ClusterEndpoint Endpoint(JsonObject e) => new()
        {
            Server = Text(e, "server"),
            CertificateAuthority = Text(e, "certificate-authority"),
            CertificateAuthorityData = Text(e, "certificate-authority-data"),
            TlsServerName = Text(e, "tls-server-name"),
            SkipTlsVerify = Flag(e, "insecure-skip-tls-verify"),
        };

        private static UserCredentials Credentials(JsonObject u) => new()
        {
            ClientCertificateData = Text(u, "client-certificate-data"),
            ClientCertificate = Text(u, "client-certificate"),
            ClientKeyData = Text(u, "client-key-data"),
            ClientKey = Text(u, "client-key"),
            Token = Text(u, "token"),
            Impersonate = Text(u, "as"),
            ImpersonateGroups = Texts(u, "as-groups") ?? (IEnumerable<string>)Array.Empty<string>(),
            ImpersonateUserExtra = Extra(u, "as-user-extra") ?? new Dictionary<string, string>(),
            UserName = Text(u, "username"),
            Password = Text(u, "password"),
            AuthProvider = Part(u, "auth-provider", a => new AuthProvider { Name = Text(a, "name"), Config = Map(a, "config") }),
            ExternalExecution = Part(u, "exec", x => new ExternalExecution
            {
                ApiVersion = Text(x, "apiVersion"),
                Command = Text(x, "command"),
                Arguments = Texts(x, "args"),
                EnvironmentVariables = Items(x, "env", v => new Dictionary<string, string> { ["name"] = Text(v, "name") ?? string.Empty, ["value"] = Text(v, "value") ?? string.Empty }),
                InstallHint = Text(x, "installHint"),
                ProvideClusterInfo = Flag(x, "provideClusterInfo"),
            }),
        };

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

        private static Dictionary<string, string>? Map(JsonObject parent, string name) => parent[name] switch
        {
            null => null,
            JsonObject map => map.Where(p => p.Value is JsonValue).ToDictionary(p => p.Key, p => p.Value!.GetValue<string>(), StringComparer.Ordinal),
            _ => throw Invalid($"'{name}' must be a mapping"),
        };

        /// <summary>as-user-extra: kubectl's map of lists (each key's values become one comma-separated Impersonate-Extra header).</summary>
        private static Dictionary<string, string>? Extra(JsonObject parent, string name) => parent[name] switch
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
