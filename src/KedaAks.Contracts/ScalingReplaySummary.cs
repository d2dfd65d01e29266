namespace KedaAks
{
    /// <summary>What a scaling replay came to, for one threshold.</summary>
    public sealed class ScalingReplaySummary
    {
        public string? ScaledObjectName { get; set; }

        public string Query { get; set; } = string.Empty;

        public string Threshold { get; set; } = string.Empty;

        public string? ActivationThreshold { get; set; }

        /// <summary>AverageValue or Value.</summary>
        public string MetricType { get; set; } = "AverageValue";

        public DateTimeOffset Start { get; set; }

        public DateTimeOffset End { get; set; }

        public TimeSpan Step { get; set; }

        public int Samples { get; set; }

        /// <summary>Samples whose result was empty (no series, or NaN): KEDA reads 0 with ignoreNullValues, else fails the trigger.</summary>
        public int EmptySamples { get; set; }

        /// <summary>Samples where the query returned several series: KEDA fails with "returned multiple elements".</summary>
        public int MultipleElementSamples { get; set; }

        public double? PeakValue { get; set; }

        public DateTimeOffset? PeakTime { get; set; }

        public int PeakReplicas { get; set; }

        public int MinReplicaCount { get; set; }

        public int MaxReplicaCount { get; set; }

        /// <summary>Time spent at MaxReplicaCount (capped: the metric wanted at least that many).</summary>
        public TimeSpan TimeAtMax { get; set; }

        public TimeSpan TimeAtZero { get; set; }

        /// <summary>Replica changes (KEDA's and the HPA's).</summary>
        public int ScaleEvents { get; set; }

        public int ScaleUps { get; set; }

        public int ScaleDowns { get; set; }

        /// <summary>Replica-hours over the replay divided by its length.</summary>
        public double AverageReplicas { get; set; }

        public double ReplicaHours { get; set; }

        /// <summary>The replica count the suggestion aims at (-TargetReplicas, else MaxReplicaCount).</summary>
        public int? TargetReplicas { get; set; }

        /// <summary>The smallest threshold (AverageValue) at which the peak needs no more than TargetReplicas; null for Value metrics.</summary>
        public string? SuggestedThreshold { get; set; }

        /// <summary>What the replay noticed: empty results becoming 0, a query summing several clusters, KEDA errors.</summary>
        public IReadOnlyList<string> Warnings { get; set; } = Array.Empty<string>();
    }
}
