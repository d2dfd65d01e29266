using KedaAks.Engine.Azure;
using KedaAks.Engine.Boundary;
using KedaAks.Engine.Diagnostics;
using KedaAks.Engine.Diagnostics.Checks;
using KedaAks.Engine.Helm;
using KedaAks.Engine.Kubernetes;
using KedaAks.Engine.Manifests;
using KedaAks.Engine.Resources;

namespace KedaAks.Engine
{
    /// <summary>
    /// The engine's composition root, created once per process by the module's loader (by this type name) inside
    /// the private "KedaAks" load context. It builds every unit through its constructor from one
    /// <see cref="EngineOptions"/>, and hands each service out behind the one exception boundary
    /// (<see cref="Guarded{T}"/>). Stateless and thread-safe: every call carries its own <see cref="CallContext"/>.
    /// </summary>
    public sealed class KedaAksEngine : IKedaAksEngine
    {
        public KedaAksEngine()
            : this(EngineOptions.Default)
        {
        }

        internal KedaAksEngine(EngineOptions options)
        {
            var azure = new AzureService(options);
            var connections = new ClusterConnections(options);
            var gateway = new KubeGateway(connections, options);
            var kubernetes = new KubernetesService(azure, connections, gateway);
            var probe = new WorkloadIdentityProbe(gateway, azure, options);
            Resources = Guarded<IResourceBuilder>.Wrap(new ResourceBuilder());
            Manifests = Guarded<IManifestSerializer>.Wrap(new ManifestSerializer());
            Azure = Guarded<IAzureService>.Wrap(azure);
            Kubernetes = Guarded<IKubernetesService>.Wrap(kubernetes);
            WorkloadIdentity = Guarded<IWorkloadIdentityProbe>.Wrap(probe);
            Prometheus = Guarded<IPrometheusQueries>.Wrap(new PrometheusQueries(options, probe));
            Integration = Guarded<IIntegrationChecks>.Wrap(new IntegrationChecks(kubernetes, gateway, new AzureCheckSource(azure)));
            Helm = Guarded<IHelmService>.Wrap(new HelmService(kubernetes, connections, gateway));
            Diagnostics = Guarded<IDiagnostics>.Wrap(new ErrorResolver());
        }

        public IResourceBuilder Resources { get; }

        public IManifestSerializer Manifests { get; }

        public IAzureService Azure { get; }

        public IKubernetesService Kubernetes { get; }

        public IDiagnostics Diagnostics { get; }

        public IPrometheusQueries Prometheus { get; }

        public IWorkloadIdentityProbe WorkloadIdentity { get; }

        public IIntegrationChecks Integration { get; }

        public IHelmService Helm { get; }
    }
}
