namespace KedaAks.Completers
{
    /// <summary>-Context: the context names of -KubeconfigPath when typed, else of KUBECONFIG or ~/.kube/config (read by the engine as kubectl reads them).</summary>
    public sealed class KubeContextCompleter : EngineCompleter
    {
        private protected override CompletionQuery? Query(string commandName, BoundArguments bound)
        {
            List<string>? paths = bound.Texts("KubeconfigPath")?.Select(BoundArguments.ResolvePath).ToList();
            string key = "contexts|" + (paths is null ? "default|" + Environment.GetEnvironmentVariable("KUBECONFIG") : string.Join("|", paths));
            return new CompletionQuery(key, new AzureSettings(), (engine, call) => engine.Completions.ListContextsAsync(paths, call));
        }
    }
}
