using k8s;
using k8s.KubeConfigModels;

namespace KedaAks.Engine.Completion
{
    /// <summary>
    /// The reads behind the module's argument completers: the kubeconfig read as <see cref="ClusterConnections"/> reads it
    /// (same default paths, same merge), a cluster's namespaces through the <see cref="KubeGateway"/>, the known chart versions.
    /// </summary>
    internal sealed class CompletionSource : ICompletionSource
    {
        private readonly KubeGateway _gateway;

        public CompletionSource(KubeGateway gateway) => _gateway = gateway;

        public Task<IReadOnlyList<string>> ListContextsAsync(IReadOnlyList<string>? kubeconfigPath, CallContext call)
        {
            var configs = new List<K8SConfiguration>();
            foreach (string path in (kubeconfigPath ?? ClusterConnections.DefaultKubeconfigPaths()).Where(File.Exists))
            {
                call.Cancellation.ThrowIfCancellationRequested();
                configs.Add(Kubernetes.KubeconfigFiles.Load(path));
            }

            IReadOnlyList<string> names = ClusterConnections.Merge(configs).Contexts?.Select(c => c.Name).Where(n => !string.IsNullOrEmpty(n)).ToList()
                ?? (IReadOnlyList<string>)Array.Empty<string>();
            return Task.FromResult(names);
        }

        public Task<IReadOnlyList<string>> ListNamespacesAsync(ClusterConnection connection, CallContext call) => _gateway.ListNamespaceNamesAsync(connection, call);

        public IReadOnlyList<string> KnownChartVersions() => KedaChartVersions.Known;
    }
}
