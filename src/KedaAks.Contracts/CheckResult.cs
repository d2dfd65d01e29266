namespace KedaAks
{
    /// <summary>One check of Test-KedaIntegration.</summary>
    public sealed class CheckResult
    {
        public string Check { get; set; } = string.Empty;

        public CheckStatus Status { get; set; }

        public string Message { get; set; } = string.Empty;

        public string? Remedy { get; set; }

        /// <summary>The diagnosis behind a failure, when one applies.</summary>
        public Diagnosis? Diagnosis { get; set; }

        /// <summary>The cluster checked: the AKS cluster's name, or the kubeconfig context's (so a fleet's results group by cluster).</summary>
        public string? Cluster { get; set; }

        /// <summary>The AKS cluster's resource id, when the cluster came through Azure.</summary>
        public string? ClusterResourceId { get; set; }

        public override string ToString() => Cluster is null ? $"{Check}: {Status}" : $"{Cluster} {Check}: {Status}";
    }
}
