using KedaAks.Engine.Boundary;
using KedaAks.Engine.Completion;
using KedaAks.Engine.Diagnostics;
using KedaAks.Engine.Diagnostics.Checks;
using KedaAks.Engine.Helm;
using KedaAks.Engine.Manifests;
using KedaAks.Engine.Resources;
using KedaAks.Engine.Scaling;

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
            var installations = new KedaInstallations(gateway, (id, call) => azure.GetClusterAsync(id, null, null, call));
            _resources = Guard<IResourceBuilder>(() => new ResourceBuilder());
            _manifests = Guard<IManifestSerializer>(() => new ManifestSerializer());
            _azure = Guard<IAzureService>(() => azure);
            _kubernetes = Guard<IKubernetesService>(() => kubernetes);
            _workloadIdentity = Guard<IWorkloadIdentityProbe>(() => probe);
            var queries = new PrometheusQueries(options, probe);
            _prometheus = Guard<IPrometheusQueries>(() => queries);
            _replay = Guard<IScalingReplay>(() => new ScalingReplay(queries));
            _integration = Guard<IIntegrationChecks>(() => new IntegrationChecks(kubernetes, gateway, new AzureCheckSource(azure)));
            _helm = Guard<IHelmService>(() => new HelmService(kubernetes, connections, gateway, installations));
            _diagnostics = Guard<IDiagnostics>(() => new ErrorResolver());
            _completions = Guard<ICompletionSource>(() => new CompletionSource(gateway));
            _addon = Guard<IKedaAddonService>(() => new KedaAddon(azure, kubernetes, installations, options));
            _aksIntegration = Guard<IAksIntegration>(() =>
            {
                var helm = new HelmService(kubernetes, connections, gateway, installations);
                var addon = new KedaAddon(azure, kubernetes, installations, options);
                return new Integration.AksIntegration(azure, kubernetes, new Integration.ClusterSteps(gateway, helm, addon, installations), probe,
                    new Integration.Uninstaller(azure, kubernetes, helm), options);
            });
            _gitOps = Guard<IGitOpsExport>(() => new GitOps.GitOpsExport(azure, new ManifestSerializer()));
        }

        private readonly Lazy<IResourceBuilder> _resources;
        private readonly Lazy<IManifestSerializer> _manifests;
        private readonly Lazy<IAzureService> _azure;
        private readonly Lazy<IKubernetesService> _kubernetes;
        private readonly Lazy<IWorkloadIdentityProbe> _workloadIdentity;
        private readonly Lazy<IPrometheusQueries> _prometheus;
        private readonly Lazy<IScalingReplay> _replay;
        private readonly Lazy<IIntegrationChecks> _integration;
        private readonly Lazy<IHelmService> _helm;
        private readonly Lazy<IDiagnostics> _diagnostics;
        private readonly Lazy<ICompletionSource> _completions;
        private readonly Lazy<IKedaAddonService> _addon;
        private readonly Lazy<IAksIntegration> _aksIntegration;
        private readonly Lazy<IGitOpsExport> _gitOps;

        public IResourceBuilder Resources => _resources.Value;

        public IManifestSerializer Manifests => _manifests.Value;

        public IAzureService Azure => _azure.Value;

        public IKubernetesService Kubernetes => _kubernetes.Value;

        public IDiagnostics Diagnostics => _diagnostics.Value;

        public IPrometheusQueries Prometheus => _prometheus.Value;

        public IScalingReplay Replay => _replay.Value;

        public IWorkloadIdentityProbe WorkloadIdentity => _workloadIdentity.Value;

        public IIntegrationChecks Integration => _integration.Value;

        public IHelmService Helm => _helm.Value;

        public ICompletionSource Completions => _completions.Value;

        public IKedaAddonService Addon => _addon.Value;

        public IAksIntegration AksIntegration => _aksIntegration.Value;

        public IGitOpsExport GitOps => _gitOps.Value;

        /// <summary>A service behind the boundary, made on first use (a proxy type is emitted per interface; start-up pays only for what runs).</summary>
        private static Lazy<T> Guard<T>(Func<T> create)
            where T : class => new(() => Guarded<T>.Wrap(create()), System.Threading.LazyThreadSafetyMode.ExecutionAndPublication);
    }
}
