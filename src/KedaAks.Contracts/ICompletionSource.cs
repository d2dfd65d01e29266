namespace KedaAks
{
    /// <summary>The small reads tab completion needs (kubeconfig contexts, a cluster's namespaces, chart versions); none of them writes or prompts.</summary>
    public interface ICompletionSource
    {
        /// <summary>Context names of the kubeconfig files, merged as kubectl merges KUBECONFIG; null means KUBECONFIG or ~/.kube/config. Missing files are skipped.</summary>
        Task<IReadOnlyList<string>> ListContextsAsync(IReadOnlyList<string>? kubeconfigPath, CallContext call);

        /// <summary>The names of the cluster's namespaces.</summary>
        Task<IReadOnlyList<string>> ListNamespacesAsync(ClusterConnection connection, CallContext call);

        /// <summary>KEDA Helm chart versions known to this module, newest first.</summary>
        IReadOnlyList<string> KnownChartVersions();
    }
}
