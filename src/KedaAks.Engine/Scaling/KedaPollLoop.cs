namespace KedaAks.Engine.Scaling
{
    /// <summary>A trigger read as KEDA's prometheus scaler returns it: a value, or an error (empty without ignoreNullValues, several series).</summary>
    internal readonly record struct TriggerReading(double Value, string? Error)
    {
        public bool Failed => Error is not null;
    }

    /// <summary>What one KEDA poll did: the replicas it leaves, whether the trigger was active, and why.</summary>
    internal readonly record struct KedaStep(int Replicas, bool Active, string Reason, bool Changed);

    /// <summary>
    /// KEDA's scale loop for one ScaledObject (wave2-facts B3, keda-facts 5.2; scale_scaledobjects.go RequestScale), every
    /// pollingInterval: active when value &gt; activationThreshold; active at 0 (or below min with idleReplicaCount) scales to
    /// max(minReplicaCount, 1), and any active poll sets lastActiveTime; inactive above zero with minReplicaCount 0 (or above
    /// idleReplicaCount) scales to idle (0 when unset) once lastActiveTime + cooldownPeriod has passed. A trigger error is never
    /// active (the polling loop reads the scaler itself; a fallback reaches only the HPA): with a fallback of replicas &gt; 0, or without
    /// a fallback, KEDA leaves the count to the HPA; with fallback replicas 0 it may still scale to zero.
    /// </summary>
    internal sealed class KedaPollLoop
    {
        private readonly double _activation;
        private readonly int _minReplicaCount;
        private readonly int? _idle;
        private readonly TimeSpan _cooldown;
        private readonly ScaledObjectFallback? _fallback;

        public KedaPollLoop(double activationThreshold, int minReplicaCount, int? idleReplicaCount, TimeSpan cooldown, ScaledObjectFallback? fallback)
        {
            (_activation, _minReplicaCount, _idle, _cooldown, _fallback) = (activationThreshold, minReplicaCount, idleReplicaCount, cooldown, fallback);
        }

        /// <summary>status.lastActiveTime; null until the trigger was first active (unless the run starts from a running workload).</summary>
        public DateTimeOffset? LastActiveTime { get; set; }

        public KedaStep Poll(DateTimeOffset now, int current, TriggerReading reading)
        {
            bool active = !reading.Failed && reading.Value > _activation;
            int min = _minReplicaCount;
            if (active)
            {
                LastActiveTime = now;
                if ((_idle is not null && current < min) || current == 0)
                {
                    return new KedaStep(Math.Max(min, 1), true, "Activated", true);
                }

                return new KedaStep(current, true, "Active", false);
            }

            if (reading.Failed && (_fallback is null || _fallback.Replicas != 0))
            {
                return new KedaStep(current, false, "TriggerError", false);
            }

            if ((_idle is { } idle && current > idle) || (current > 0 && min == 0))
            {
                if (LastActiveTime is null || LastActiveTime.Value + _cooldown < now)
                {
                    int target = _idle ?? min;
                    return new KedaStep(target, false, target == 0 ? "ScaledToZero" : "ScaledToIdle", target != current);
                }

                return new KedaStep(current, false, "Cooldown", false);
            }

            if (_idle is null && current < min)
            {
                return new KedaStep(min, false, "BelowMinReplicas", true);
            }

            return new KedaStep(current, false, current == 0 ? "Inactive" : "InactiveAtMinimum", false);
        }
    }
}
