namespace KedaAks
{
    /// <summary>KEDA installs through the helm binary, and finding KEDA in a cluster.</summary>
    public interface IHelmService
    {
        /// <summary>The helm binary that would be used, and its version (e.g. v3.18.0), or an error naming how to get helm.</summary>
        (string Path, string Version) LocateHelm(string? helmPath);

        /// <summary>
        /// Reads the chart and the cluster first (gates, the service account's owner, the value layout), then asks ShouldProcess with
        /// the chart version, the layout and every value; null when that says no (-WhatIf), after which nothing was changed.
        /// </summary>
        Task<KedaInstallation?> InstallAsync(ClusterConnection connection, HelmInstallRequest request, CallContext call);

        /// <summary>False when there was no such release.</summary>
        Task<bool> UninstallAsync(ClusterConnection connection, string releaseName, string @namespace, string? helmPath, TimeSpan timeout, CallContext call);

        /// <summary>Every KEDA installation found (normally one).</summary>
        Task<IReadOnlyList<KedaInstallation>> GetInstallationsAsync(ClusterConnection connection, CallContext call);
    }
}
