using KedaAks.Engine.Manifests;
using KedaAks.Engine.Resources;

namespace KedaAks.Engine
{
    /// <summary>
    /// The engine's entry point, created once per process by the module's loader (by this type name)
    /// inside the private "KedaAks" load context. Stateless and thread-safe: every call carries its own
    /// request and host, so runspaces and Automation jobs can share it.
    /// </summary>
    public sealed class KedaAksEngine : IKedaAksEngine
    {
        public IResourceBuilder Resources { get; } = new ResourceBuilder();

        public IManifestSerializer Manifests { get; } = new ManifestSerializer();

        private readonly Azure.AzureService _azure = new();

        public KedaAksEngine()
        {
            var kubernetes = new Kubernetes.KubernetesService(_azure, global::KedaAks.Engine.Azure.AzureEngineOptions.Default);
            Kubernetes = kubernetes;
            var probe = new Diagnostics.WorkloadIdentityProbe(kubernetes, _azure, global::KedaAks.Engine.Azure.AzureEngineOptions.Default);
            WorkloadIdentity = probe;
            _prometheus.Probe = probe;
            Integration = new Diagnostics.IntegrationChecks(_azure, kubernetes);
            Helm = new Helm.HelmService(kubernetes);
        }

        public IIntegrationChecks Integration { get; }

        public IHelmService Helm { get; }

        public IWorkloadIdentityProbe WorkloadIdentity { get; }

        public IAzureService Azure => _azure;

        public IKubernetesService Kubernetes { get; }

        public IDiagnostics Diagnostics { get; } = new Diagnostics.ErrorResolver();

        public IPrometheusQueries Prometheus => _prometheus;

        private readonly Diagnostics.PrometheusQueries _prometheus = new(global::KedaAks.Engine.Azure.AzureEngineOptions.Default);
    }
}
