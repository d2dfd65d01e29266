namespace KedaAks
{
    /// <summary>A prometheus trigger's query, run as KEDA runs it.</summary>
    public sealed class PrometheusQueryRequest
    {
        public string ServerAddress { get; set; } = string.Empty;

        public string Query { get; set; } = string.Empty;

        /// <summary>The evaluation time; KEDA uses "now".</summary>
        public DateTimeOffset? Time { get; set; }

        public string? Threshold { get; set; }

        public string? ActivationThreshold { get; set; }

        /// <summary>AverageValue (KEDA's default) or Value.</summary>
        public string? MetricType { get; set; }

        public int MinReplicaCount { get; set; }

        public int MaxReplicaCount { get; set; } = 100;

        public int? CurrentReplicas { get; set; }

        public bool IgnoreNullValues { get; set; } = true;

        /// <summary>KEDA's default HTTP timeout is 3 s (KEDA_HTTP_DEFAULT_TIMEOUT).</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(3);

        public IDictionary<string, string> CustomHeaders { get; set; } = new Dictionary<string, string>();

        public IDictionary<string, string> QueryParameters { get; set; } = new Dictionary<string, string>();

        /// <summary>metadata namespace (Thanos/Cortex tenancy), appended as &amp;namespace=.</summary>
        public string? Namespace { get; set; }

        /// <summary>metadata cloud (AzurePublicCloud, AzureUSGovernmentCloud, AzureChinaCloud, Private).</summary>
        public string? Cloud { get; set; }

        public string? AzureManagedPrometheusResourceUrl { get; set; }

        /// <summary>Query as KEDA's own identity: this identity's service-account token exchanged at Entra (needs <see cref="Connection"/>).</summary>
        public WorkloadIdentity? AsWorkloadIdentity { get; set; }

        public ClusterConnection? Connection { get; set; }

        /// <summary>The ScaledObject and trigger index the query came from, when it came from one.</summary>
        public string? ScaledObjectName { get; set; }

        public int? TriggerIndex { get; set; }
    }
}
