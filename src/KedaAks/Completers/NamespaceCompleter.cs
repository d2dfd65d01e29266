namespace KedaAks.Completers
{
    /// <summary>-Namespace: the namespaces of the cluster the other typed parameters name, else of Connect-KedaCluster's connection, else of the kubeconfig.</summary>
    public sealed class NamespaceCompleter : EngineCompleter
    {
        private protected override CompletionQuery? Query(string commandName, BoundArguments bound) =>
            bound.ClusterQuery("namespaces", (engine, connection, call) => engine.Completions.ListNamespacesAsync(connection, call));
    }
}
