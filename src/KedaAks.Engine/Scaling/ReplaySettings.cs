namespace KedaAks.Engine.Scaling
{
    /// <summary>
    /// One replay run's rules, checked and resolved from the request as KEDA resolves a ScaledObject (wave2-facts B1): the HPA's
    /// minReplicas is minReplicaCount or 1, maxReplicas maxReplicaCount (100 when unset); the threshold is a positive milli-quantity.
    /// </summary>
    internal sealed record ReplaySettings
    {
        public string ThresholdText { get; init; } = string.Empty;

        public long TargetMilli { get; init; }

        public double Activation { get; init; }

        public bool AverageValue { get; init; } = true;

        public int MinReplicaCount { get; init; }

        public int MaxReplicaCount { get; init; } = 100;

        public int HpaMin => HpaMath.Floor(MinReplicaCount);

        public int? IdleReplicaCount { get; init; }

        public TimeSpan PollingInterval { get; init; } = TimeSpan.FromSeconds(30);

        public TimeSpan CooldownPeriod { get; init; } = TimeSpan.FromSeconds(300);

        public TimeSpan SyncPeriod { get; init; } = TimeSpan.FromSeconds(15);

        public bool IgnoreNullValues { get; init; } = true;

        public ScaledObjectFallback? Fallback { get; init; }

        public HpaRules Rules { get; init; } = HpaRules.Resolve(null);

        public int? InitialReplicas { get; init; }

        public string Query { get; init; } = string.Empty;

        public static ReplaySettings From(ScalingReplayRequest request, string threshold)
        {
            PrometheusQueryRequest query = request.Query;
            double? target = PrometheusTrigger.ReadNumber(threshold);
            if (target is null || HpaMath.MilliUnits(target.Value) < 1)
            {
                throw Invalid("InvalidThreshold", $"Threshold '{threshold}' is not a number of at least 0.001 (the HPA refuses a target that is not positive).", threshold,
                    "Give the threshold as a number, e.g. -Threshold 10.");
            }

            double activation = 0;
            if (query.ActivationThreshold is { Length: > 0 } text)
            {
                activation = PrometheusTrigger.ReadNumber(text) ?? throw Invalid("InvalidActivationThreshold", $"ActivationThreshold '{text}' is not a number.", text,
                    "Give the activation threshold as a number, e.g. -ActivationThreshold 5.");
            }

            string metricType = query.MetricType is { Length: > 0 } type ? type : "AverageValue";
            if (!metricType.Equals("AverageValue", StringComparison.Ordinal) && !metricType.Equals("Value", StringComparison.Ordinal))
            {
                throw Invalid("InvalidMetricType", $"MetricType '{metricType}' is not one KEDA takes for external metrics: AverageValue or Value.", metricType,
                    "Use -MetricType AverageValue (the default) or Value.");
            }

            if (query.MinReplicaCount < 0 || query.MaxReplicaCount < 1 || query.MinReplicaCount > query.MaxReplicaCount)
            {
                throw Invalid("InvalidReplicaCount", $"MinReplicaCount {query.MinReplicaCount} and MaxReplicaCount {query.MaxReplicaCount} are not 0 <= min <= max, max >= 1.",
                    query.MinReplicaCount, "Give counts as KEDA's webhook accepts them.");
            }

            if (request.IdleReplicaCount is { } idle && (idle < 0 || idle >= query.MinReplicaCount))
            {
                throw Invalid("InvalidReplicaCount", $"IdleReplicaCount={idle} must be less than MinReplicaCount={query.MinReplicaCount}.", idle,
                    "Set idleReplicaCount below minReplicaCount (KEDA supports only 0), or leave it out.");
            }

            if (request.PollingInterval < 1 || request.CooldownPeriod < 0 || request.SyncPeriod <= TimeSpan.Zero)
            {
                throw Invalid("InvalidReplayTiming", $"PollingInterval {request.PollingInterval} must be at least 1 and CooldownPeriod {request.CooldownPeriod} at least 0.",
                    request.PollingInterval, "Give seconds as KEDA's CRD accepts them.");
            }

            if (request.Fallback is { } fallback && (fallback.FailureThreshold < 0 || fallback.Replicas < 0))
            {
                throw Invalid("InvalidFallback", $"Fallback failureThreshold {fallback.FailureThreshold} and replicas {fallback.Replicas} must not be negative.",
                    fallback.Replicas, "Give fallback counts of 0 or more.");
            }

            return new ReplaySettings
            {
                ThresholdText = threshold.Trim(),
                TargetMilli = HpaMath.MilliUnits(target.Value),
                Activation = activation,
                AverageValue = metricType == "AverageValue",
                MinReplicaCount = query.MinReplicaCount,
                MaxReplicaCount = query.MaxReplicaCount,
                IdleReplicaCount = request.IdleReplicaCount,
                PollingInterval = TimeSpan.FromSeconds(request.PollingInterval),
                CooldownPeriod = TimeSpan.FromSeconds(request.CooldownPeriod),
                SyncPeriod = request.SyncPeriod,
                IgnoreNullValues = query.IgnoreNullValues,
                Fallback = request.Fallback,
                Rules = HpaRules.Resolve(request.Behavior),
                InitialReplicas = request.InitialReplicas,
                Query = query.Query,
            };
        }

        public double Threshold => TargetMilli / 1000.0;

        public string Describe() => string.Create(CultureInfo.InvariantCulture,
            $"threshold {ThresholdText} ({(AverageValue ? "AverageValue" : "Value")}), replicas {MinReplicaCount}..{MaxReplicaCount}, polling {PollingInterval.TotalSeconds:0} s, "
            + $"cooldown {CooldownPeriod.TotalSeconds:0} s, {(Rules.Legacy ? "the HPA's legacy rules" : "the HPA behavior given")}");

        private static KedaAksException Invalid(string id, string message, object? target, string fix) => new(id, KedaErrorCategory.InvalidArgument, message, target, fix);
    }
}
