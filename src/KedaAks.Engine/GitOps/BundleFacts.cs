namespace KedaAks.Engine.GitOps
{
    /// <summary>
    /// Everything a bundle is rendered from, resolved once before any file is made: the install method, the operator's
    /// service account and its identity, and for Helm the pinned chart, its value layout and the values.
    /// </summary>
    internal sealed record BundleFacts(string InstallMethod, string Namespace, string ServiceAccountName, string ClientId, string? TenantId)
    {
        /// <summary>The release (Helm only).</summary>
        public string ReleaseName { get; init; } = "keda";

        /// <summary>The pinned chart version (Helm only).</summary>
        public string? ChartVersion { get; init; }

        /// <summary>serviceAccount.operator.* (true) or the flat serviceAccount.* (false); null for the add-on.</summary>
        public bool? NestedLayout { get; init; }

        /// <summary>Where Flux and Argo CD get the chart (Helm only).</summary>
        public ChartSource? Chart { get; init; }

        /// <summary>The chart's values in the chart version's layout (Helm only).</summary>
        public Dictionary<string, object?>? Values { get; init; }

        public bool IsAddon => InstallMethod == Keda.InstallModes.AksAddon;

        public string? Layout => NestedLayout switch { true => "serviceAccount.operator.*", false => "serviceAccount.*", null => null };
    }

    /// <summary>A chart's repository as Flux's HelmRepository and Argo CD's Application name it: https (a Helm index) or OCI.</summary>
    internal sealed record ChartSource(string Url, bool Oci, string ChartName)
    {
        /// <summary>Flux HelmRepository's spec.url: the repository, or for OCI the registry path above the chart.</summary>
        public string FluxUrl => Url;

        /// <summary>Argo CD's spec.source.repoURL: the repository, or for OCI the registry path without the oci:// scheme.</summary>
        public string ArgoRepoUrl => Oci ? Url.Substring("oci://".Length) : Url;

        /// <summary>An https chart repository (the chart is named 'keda' in its index) or an oci:// chart reference (its last segment is the chart).</summary>
        public static ChartSource From(string repository)
        {
            if (repository.StartsWith("oci://", StringComparison.OrdinalIgnoreCase))
            {
                string trimmed = repository.TrimEnd('/');
                int slash = trimmed.LastIndexOf('/');
                if (slash <= "oci://".Length)
                {
                    throw new KedaAksException("InvalidRepository", KedaErrorCategory.InvalidArgument, $"'{repository}' names no chart (oci://<registry>/<path>/keda).", repository,
                        "Pass the chart's full OCI reference, e.g. oci://myregistry.azurecr.io/helm/keda.");
                }

                return new ChartSource(trimmed.Substring(0, slash), true, trimmed.Substring(slash + 1));
            }

            return new ChartSource(repository.TrimEnd('/'), false, "keda");
        }
    }
}
