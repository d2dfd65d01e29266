namespace KedaAks.Engine.Scaling
{
    /// <summary>One replay run: the samples on the query's step grid, and the replica changes KEDA and the HPA made on the way.</summary>
    internal sealed class SimulationRun
    {
        public ReplaySettings Settings { get; init; } = new();

        public List<ScalingSample> Samples { get; } = new();

        public int ScaleUps { get; set; }

        public int ScaleDowns { get; set; }

        /// <summary>The first error KEDA would have logged for the trigger, if any.</summary>
        public string? FirstError { get; set; }
    }

    /// <summary>
    /// Runs KEDA's poll loop (every pollingInterval) and the HPA (every sync period, 15 s) over a metric history, both from the
    /// replay's start; at a moment both act KEDA goes first. Both read the metric as it was then (the HPA asks KEDA's metrics server,
    /// which runs the query). Failed reads count towards a fallback; past failureThreshold the HPA is fed the value that lands on
    /// fallback.replicas (wave2-facts B5). Pods are taken as ready at once, so status.replicas and ready pods equal the count.
    /// </summary>
    internal static class ScalingSimulation
    {
        public static SimulationRun Run(ReplaySettings s, MetricHistory history, DateTimeOffset start, DateTimeOffset end, TimeSpan step, string? scaledObjectName = null)
        {
            var run = new SimulationRun { Settings = s };
            var keda = new KedaPollLoop(s.Activation, s.MinReplicaCount, s.IdleReplicaCount, s.CooldownPeriod, s.Fallback);
            var hpa = new HpaController(s.Rules, s.AverageValue, s.TargetMilli, s.HpaMin, s.MaxReplicaCount);
            int replicas = Initial(s, history.At(start), out bool active);
            if (replicas > 0)
            {
                keda.LastActiveTime = start; // a workload already running is taken as active until the replay began
            }

            int failures = 0;
            int? proposal = null;
            string carried = active ? "Active" : "Inactive";
            string kedaReason = carried;
            string? intervalReason = null;
            bool intervalChanged = false;
            DateTimeOffset nextPoll = start, nextSync = start, nextSample = start;
            while (nextSample <= end)
            {
                DateTimeOffset now = Min(nextPoll, nextSync, nextSample);
                MetricPoint point = history.At(now);
                KedaStep? poll = null;
                HpaStep? sync = null;
                int before = replicas;
                if (nextPoll == now)
                {
                    TriggerReading reading = Observe(MetricHistory.Read(point, s.IgnoreNullValues, s.Query), ref failures, run);
                    poll = keda.Poll(now, replicas, reading);
                    Count(run, replicas, poll.Value.Replicas);
                    (replicas, active) = (poll.Value.Replicas, poll.Value.Active);
                    kedaReason = poll.Value.Reason switch { "Activated" => "Active", "ScaledToZero" or "ScaledToIdle" => "Inactive", { } other => other };
                    nextPoll += s.PollingInterval;
                }

                int beforeSync = replicas;
                if (nextSync == now)
                {
                    TriggerReading reading = Observe(MetricHistory.Read(point, s.IgnoreNullValues, s.Query), ref failures, run);
                    sync = hpa.Sync(now, replicas, Usage(reading, s, failures, replicas));
                    Count(run, replicas, sync.Value.Replicas);
                    replicas = sync.Value.Replicas;
                    proposal = sync.Value.Proposal ?? (replicas == 0 ? null : proposal);
                    nextSync += s.SyncPeriod;
                }

                if (poll is not null || sync is not null)
                {
                    string reason = sync is { Reason: "ScalingDisabled" } && poll is null ? kedaReason : Reason(poll, sync, beforeSync);
                    bool changed = replicas != before;
                    if (changed || !intervalChanged)
                    {
                        intervalReason = reason;
                        intervalChanged |= changed;
                    }

                    carried = reason;
                }

                if (nextSample == now)
                {
                    run.Samples.Add(new ScalingSample
                    {
                        Time = now, Value = point.Plotted, IsActive = active, Replicas = replicas, Reason = intervalReason ?? carried, Threshold = s.ThresholdText,
                        DesiredReplicas = replicas == 0 ? null : proposal, ScaledObjectName = scaledObjectName,
                    });
                    (intervalReason, intervalChanged) = (null, false);
                    nextSample += step;
                }
            }

            return run;
        }

        /// <summary>
        /// The replicas at the start when none are given: the steady state the first point implies. Inactive with minReplicaCount 0
        /// (or an idleReplicaCount) is idle; otherwise the HPA's proposal clamped to its bounds (AverageValue: ceil(value / target);
        /// Value: minReplicas, since a Value target settles at any count).
        /// </summary>
        internal static int Initial(ReplaySettings s, MetricPoint first, out bool active)
        {
            TriggerReading reading = MetricHistory.Read(first, s.IgnoreNullValues, s.Query);
            active = !reading.Failed && reading.Value > s.Activation;
            if (s.InitialReplicas is { } given)
            {
                return given;
            }

            if (!active && (s.MinReplicaCount == 0 || s.IdleReplicaCount is not null))
            {
                return s.IdleReplicaCount ?? 0;
            }

            int steady = s.AverageValue && !reading.Failed ? (int)Math.Ceiling(HpaMath.MilliUnits(reading.Value) / (double)s.TargetMilli) : s.HpaMin;
            return Math.Min(Math.Max(steady, s.HpaMin), s.MaxReplicaCount);
        }

        private static TriggerReading Observe(TriggerReading reading, ref int failures, SimulationRun run)
        {
            if (reading.Failed)
            {
                run.FirstError ??= reading.Error;
                failures++;
            }
            else
            {
                failures = 0;
            }

            return reading;
        }

        /// <summary>What KEDA's metrics server hands the HPA: the value, the fallback's synthetic value past failureThreshold, or nothing.</summary>
        private static long? Usage(TriggerReading reading, ReplaySettings s, int failures, int current)
        {
            if (!reading.Failed)
            {
                return HpaMath.MilliUnits(reading.Value);
            }

            if (s.Fallback is not { } fallback || failures <= fallback.FailureThreshold || current == 0)
            {
                return null;
            }

            int target = fallback.Behavior switch
            {
                "currentReplicas" => current,
                "currentReplicasIfHigher" => Math.Max(current, fallback.Replicas),
                "currentReplicasIfLower" => Math.Min(current, fallback.Replicas),
                _ => fallback.Replicas,
            };
            return s.AverageValue ? s.TargetMilli * target : (long)Math.Round(s.TargetMilli * (double)target / current, MidpointRounding.AwayFromZero);
        }

        /// <summary>A change explains itself first (KEDA's, then the HPA's); then KEDA's reason when it is holding or failing; then the HPA's.</summary>
        private static string Reason(KedaStep? poll, HpaStep? sync, int beforeSync)
        {
            if (poll is { Changed: true } k)
            {
                return k.Reason;
            }

            if (sync is { } h && h.Replicas != beforeSync)
            {
                return h.Reason;
            }

            if (poll is { } quiet && quiet.Reason != "Active")
            {
                return quiet.Reason;
            }

            return sync?.Reason ?? poll!.Value.Reason;
        }

        private static void Count(SimulationRun run, int before, int after)
        {
            if (after > before)
            {
                run.ScaleUps++;
            }
            else if (after < before)
            {
                run.ScaleDowns++;
            }
        }

        private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b, DateTimeOffset c) => a < b ? (a < c ? a : c) : (b < c ? b : c);
    }
}
