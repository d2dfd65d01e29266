namespace KedaAks
{
    /// <summary>What Invoke-KedaScalingReplay replays: a trigger's query over a time range, through KEDA's and the HPA's rules.</summary>
    public sealed class ScalingReplayRequest
    {
        /// <summary>The trigger's query and its metadata, as Test-KedaPrometheusQuery runs it (server, headers, token, ignoreNullValues).</summary>
        public PrometheusQueryRequest Query { get; set; } = new();

        /// <summary>One run per threshold, compared side by side; empty: the trigger's own threshold.</summary>
        public IList<string> Thresholds { get; set; } = new List<string>();

        public int PollingInterval { get; set; } = 30;

        public int CooldownPeriod { get; set; } = 300;

        public int? IdleReplicaCount { get; set; }

        public ScaledObjectFallback? Fallback { get; set; }

        /// <summary>The HPA's behavior; null: the controller's legacy rules (KEDA's default).</summary>
        public HpaBehavior? Behavior { get; set; }

        /// <summary>Default: End minus 24 hours.</summary>
        public DateTimeOffset? Start { get; set; }

        /// <summary>Default: now.</summary>
        public DateTimeOffset? End { get; set; }

        public TimeSpan Step { get; set; } = TimeSpan.FromSeconds(15);

        /// <summary>The replicas at Start; null: what the first sample implies (0 when inactive and minReplicaCount is 0).</summary>
        public int? InitialReplicas { get; set; }

        /// <summary>The replica count a suggested threshold aims at; null: MaxReplicaCount.</summary>
        public int? TargetReplicas { get; set; }

        /// <summary>The HTML report's full path; null: none.</summary>
        public string? OutFile { get; set; }

        /// <summary>kube-controller-manager's --horizontal-pod-autoscaler-sync-period.</summary>
        public TimeSpan SyncPeriod { get; set; } = TimeSpan.FromSeconds(15);

        /// <summary>Columns of the terminal chart.</summary>
        public int ChartWidth { get; set; } = 72;
    }
}
