using System;
using System.Collections;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace KedaAks
{
    /// <summary>One KEDA deployment's rollout state, e.g. <c>keda-operator 1/1</c>.</summary>
    public sealed class KedaDeploymentStatus
    {
        public string Name { get; set; } = string.Empty;

        public int Replicas { get; set; }

        public int Available { get; set; }

        public bool IsAvailable => Available >= Replicas && Replicas > 0;

        public override string ToString() => $"{Name} {Available}/{Replicas}";
    }

    /// <summary>A KEDA installation in a cluster, however it got there (Helm, the AKS add-on, plain manifests).</summary>
    public sealed class KedaInstallation
    {
        public string? ReleaseName { get; set; }

        public string Namespace { get; set; } = string.Empty;

        public string? ChartVersion { get; set; }

        public string? AppVersion { get; set; }

        /// <summary>Helm, AksAddon or Manifests.</summary>
        public string InstallMethod { get; set; } = string.Empty;

        /// <summary>The workload identity client id the operator pod runs with (AZURE_CLIENT_ID), else its service account's annotation.</summary>
        public string? ClientId { get; set; }

        public string? TenantId { get; set; }

        public IReadOnlyList<KedaDeploymentStatus> Deployments { get; set; } = Array.Empty<KedaDeploymentStatus>();

        /// <summary>The three deployments available and, when a client id is expected, the workload identity injected.</summary>
        public bool Healthy { get; set; }

        /// <summary>Helm's release status (deployed, failed, pending-upgrade...) for Helm installs.</summary>
        public string? Status { get; set; }

        public int? Revision { get; set; }
    }

    /// <summary>What Install-KedaHelm asks for.</summary>
    public sealed class HelmInstallRequest
    {
        public string ReleaseName { get; set; } = "keda";

        public string Namespace { get; set; } = "keda";

        public string ServiceAccountName { get; set; } = "keda-operator";

        public string ClientId { get; set; } = string.Empty;

        public string? TenantId { get; set; }

        /// <summary>Chart version (KEDA's chart and app versions are the same); null takes the chart's latest.</summary>
        public string? Version { get; set; }

        /// <summary>A local chart directory or .tgz.</summary>
        public string? ChartPath { get; set; }

        /// <summary>An https chart repository URL or an oci:// chart reference.</summary>
        public string Repository { get; set; } = "https://kedacore.github.io/charts";

        /// <summary>Extra values; dotted keys (a.b.c) nest.</summary>
        public IDictionary? Set { get; set; }

        public string? HelmPath { get; set; }

        public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);

        /// <summary>Go on past the azure (pod identity) TriggerAuthentication gate.</summary>
        public bool Force { get; set; }
    }

    /// <summary>KEDA installs through the helm binary, and finding KEDA in a cluster.</summary>
    public interface IHelmService
    {
        /// <summary>The helm binary that would be used, and its version (e.g. v3.18.0), or an error naming how to get helm.</summary>
        (string Path, string Version) LocateHelm(string? helmPath);

        Task<KedaInstallation> InstallAsync(ClusterConnection connection, HelmInstallRequest request, IKedaAksHost host, CancellationToken cancellationToken);

        /// <summary>False when there was no such release.</summary>
        Task<bool> UninstallAsync(ClusterConnection connection, string releaseName, string @namespace, string? helmPath, TimeSpan timeout, IKedaAksHost host, CancellationToken cancellationToken);

        /// <summary>Every KEDA installation found (normally one).</summary>
        Task<IReadOnlyList<KedaInstallation>> GetInstallationsAsync(ClusterConnection connection, IKedaAksHost host, CancellationToken cancellationToken);
    }
}
