namespace KedaAks
{
    /// <summary>Kubernetes manifests in and out.</summary>
    public interface IManifestSerializer
    {
        /// <summary>Multi-document YAML that <c>kubectl apply -f</c> accepts; every trigger metadata value is a YAML string.</summary>
        string ToYaml(IEnumerable<KedaResource> resources);
    }
}
