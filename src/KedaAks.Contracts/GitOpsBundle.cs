namespace KedaAks
{
    /// <summary>A folder written by Export-KedaGitOpsBundle: what it installs, for which identity, and its files.</summary>
    public sealed class GitOpsBundle
    {
        /// <summary>The folder.</summary>
        public string Path { get; set; } = string.Empty;

        /// <summary>Helm (a Flux HelmRelease or an Argo CD Application installs KEDA's chart) or AksAddon (only the add-on's service account annotation).</summary>
        public string InstallMethod { get; set; } = string.Empty;

        /// <summary>The pinned chart version (null for the add-on).</summary>
        public string? ChartVersion { get; set; }

        /// <summary>Where the chart's values put the operator's service account: serviceAccount.operator.* (chart 2.14 and later) or serviceAccount.* (null for the add-on).</summary>
        public string? ValueLayout { get; set; }

        public string Namespace { get; set; } = string.Empty;

        public string ServiceAccountName { get; set; } = string.Empty;

        public string ClientId { get; set; } = string.Empty;

        public string? TenantId { get; set; }

        /// <summary>The files written, relative to <see cref="Path"/>, with '/' separators.</summary>
        public IReadOnlyList<string> Files { get; set; } = Array.Empty<string>();

        /// <summary>How many KEDA resources (ScaledObjects, TriggerAuthentications) the bundle carries.</summary>
        public int ResourceCount { get; set; }

        public override string ToString() => Path;
    }
}
