namespace KedaAks
{
    /// <summary>Runs every check of the integration, read-only.</summary>
    public interface IIntegrationChecks
    {
        Task<IReadOnlyList<CheckResult>> RunAsync(IntegrationRequest request, CallContext call);

        /// <summary>One cluster's results in one row: the worst status, the counts and the failed checks (<paramref name="cluster"/> may be null for a kubeconfig).</summary>
        IntegrationSummary Summarize(AksCluster? cluster, IReadOnlyList<CheckResult> results);
    }
}
