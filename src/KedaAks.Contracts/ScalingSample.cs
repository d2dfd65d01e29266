namespace KedaAks
{
    /// <summary>One point of a scaling replay: the metric at <see cref="Time"/>, and the replicas KEDA and the HPA would have run then.</summary>
    public sealed class ScalingSample
    {
        public DateTimeOffset Time { get; set; }

        /// <summary>The query's value; null when the result was empty (no series) or had several series.</summary>
        public double? Value { get; set; }

        /// <summary>KEDA's activity at its last poll: value &gt; activationThreshold.</summary>
        public bool IsActive { get; set; }

        public int Replicas { get; set; }

        /// <summary>What decided the replica count: Activated, ScaledToZero, Cooldown, ScaleUpLimit, ScaleDownStabilized, WithinTolerance, ...</summary>
        public string Reason { get; set; } = string.Empty;

        /// <summary>The threshold this run used (several runs compare thresholds side by side).</summary>
        public string Threshold { get; set; } = string.Empty;

        /// <summary>The HPA's proposal from the metric at its last sync, before stabilization and rate limits; null while KEDA holds the target at zero.</summary>
        public int? DesiredReplicas { get; set; }

        /// <summary>The ScaledObject the replay came from, if any.</summary>
        public string? ScaledObjectName { get; set; }
    }
}
