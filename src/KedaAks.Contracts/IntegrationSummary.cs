namespace KedaAks
{
    /// <summary>One cluster's Test-KedaIntegration in one row (Test-KedaIntegration -Summary): the worst status, the counts and the failed checks.</summary>
    public sealed class IntegrationSummary
    {
        public string Cluster { get; set; } = string.Empty;

        public string? ResourceGroupName { get; set; }

        public string? SubscriptionId { get; set; }

        public string? ClusterResourceId { get; set; }

        /// <summary>Fail when any check failed, else Warning when any warned, else Pass (Skipped when every check was skipped).</summary>
        public CheckStatus Status { get; set; }

        public int Passed { get; set; }

        public int Warnings { get; set; }

        public int Failed { get; set; }

        public int Skipped { get; set; }

        /// <summary>The names of the checks that failed, in report order.</summary>
        public IReadOnlyList<string> FailedChecks { get; set; } = Array.Empty<string>();

        /// <summary>Every check's result, as Test-KedaIntegration without -Summary returns them.</summary>
        public IReadOnlyList<CheckResult> Checks { get; set; } = Array.Empty<CheckResult>();

        public override string ToString() => $"{Cluster}: {Status}";
    }
}
