namespace KedaAks
{
    /// <summary>Base of every Kubernetes object KedaAks builds or reads: what <c>ConvertTo-KedaYaml</c> and <c>Deploy-KedaResource</c> accept.</summary>
    public abstract class KedaResource
    {
        protected KedaResource(string apiVersion, string kind, string name, string? @namespace)
        {
            ApiVersion = apiVersion;
            Kind = kind;
            Name = name;
            Namespace = @namespace;
        }

        public string ApiVersion { get; }

        public string Kind { get; }

        public string Name { get; }

        /// <summary>Null for cluster-scoped objects, and for namespaced ones left to the caller's current namespace.</summary>
        public string? Namespace { get; }

        public override string ToString() => Namespace is null ? $"{Kind}/{Name}" : $"{Kind}/{Namespace}/{Name}";
    }
}
