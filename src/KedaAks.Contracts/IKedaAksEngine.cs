using System.Collections.Generic;

namespace KedaAks
{
    /// <summary>The engine, as the cmdlets see it. Implemented in KedaAks.Engine, loaded into its own load context.</summary>
    public interface IKedaAksEngine
    {
        IResourceBuilder Resources { get; }

        IManifestSerializer Manifests { get; }

        IAzureService Azure { get; }

        IKubernetesService Kubernetes { get; }

        IDiagnostics Diagnostics { get; }

        IPrometheusQueries Prometheus { get; }

        IWorkloadIdentityProbe WorkloadIdentity { get; }

        IIntegrationChecks Integration { get; }

        IHelmService Helm { get; }
    }

    /// <summary>Builds validated KEDA resources offline, with KEDA v2.20's rules and reasons.</summary>
    public interface IResourceBuilder
    {
        /// <exception cref="KedaAksException">The input breaks a rule; nothing is built.</exception>
        TriggerAuthentication NewTriggerAuthentication(TriggerAuthenticationRequest request, IKedaAksHost host);

        /// <exception cref="KedaAksException">The input breaks a rule; nothing is built.</exception>
        ScaledObject NewPrometheusScaler(PrometheusScalerRequest request, IKedaAksHost host);
    }

    /// <summary>Kubernetes manifests in and out.</summary>
    public interface IManifestSerializer
    {
        /// <summary>Multi-document YAML that <c>kubectl apply -f</c> accepts; every trigger metadata value is a YAML string.</summary>
        string ToYaml(IEnumerable<KedaResource> resources);
    }
}
