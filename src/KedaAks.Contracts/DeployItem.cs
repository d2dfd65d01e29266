namespace KedaAks
{
    /// <summary>An object to apply: a KedaAks resource, or a manifest read from a file.</summary>
    public sealed class DeployItem
    {
        public KedaResource? Resource { get; set; }

        /// <summary>One YAML document (from -Path).</summary>
        public string? Manifest { get; set; }

        public string? SourcePath { get; set; }
    }
}
