using k8s.KubeConfigModels;
using YamlDotNet.Serialization;

namespace KedaAks.Engine.Kubernetes
{
    /// <summary>
    /// Kubeconfig text to and from KubernetesClient's models with a YamlDotNet (de)serializer of their own: the model
    /// types' YAML aliases are all it needs. KubernetesYaml's registry of every Kubernetes kind (built on first use, ~0.7 s)
    /// is not touched just to read a kubeconfig.
    /// </summary>
    internal static class KubeconfigFiles
    {
        private static readonly IDeserializer Reader = new DeserializerBuilder().IgnoreUnmatchedProperties().Build();
        private static readonly ISerializer Writer = new SerializerBuilder().ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull).Build();

        public static K8SConfiguration Parse(string text) => Reader.Deserialize<K8SConfiguration>(text) ?? new K8SConfiguration();

        /// <summary>A kubeconfig file as kubectl reads it; relative certificate paths resolve against its folder (FileName).</summary>
        public static K8SConfiguration Load(string path)
        {
            K8SConfiguration config = Parse(File.ReadAllText(path));
            config.FileName = Path.GetFullPath(path);
            return config;
        }

        public static string Write(K8SConfiguration config) => Writer.Serialize(config);
    }
}
