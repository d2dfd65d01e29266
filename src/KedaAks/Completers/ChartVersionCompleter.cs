namespace KedaAks.Completers
{
    /// <summary>-Version of Install-KedaHelm: the KEDA chart versions the engine knows, newest first (no network: a repository index may be slow or unreachable).</summary>
    public sealed class ChartVersionCompleter : EngineCompleter
    {
        private protected override bool KeepOrder => true;

        private protected override CompletionQuery? Query(string commandName, BoundArguments bound) =>
            new("chart-versions", new AzureSettings(), (engine, call) => Task.FromResult(engine.Completions.KnownChartVersions()));
    }
}
