namespace KedaAks.Engine.Scaling
{
    /// <summary>What one HPA sync did: the replicas it leaves, the metric's proposal (null when it computed none) and why.</summary>
    internal readonly record struct HpaStep(int Replicas, int? Proposal, string Reason);

    /// <summary>
    /// One HorizontalPodAutoscaler as kube-controller-manager runs it for KEDA's external metric (wave2-facts A3-A7; horizontal.go):
    /// the first sync seeds the recommendations with the current count; at 0 replicas it does nothing (ScalingDisabled, KEDA holds
    /// zero); outside [min, max] it moves to the bound; otherwise the metric's proposal (tolerance) is normalized by the legacy rules
    /// (the highest recommendation of the last 5 minutes, then at most max(2 × current, 4)) or by the behavior's stabilization windows
    /// and rate policies. State is the controller's: recommendations and, with a behavior, scale events.
    /// </summary>
    internal sealed class HpaController
    {
        private readonly HpaRules _rules;
        private readonly bool _averageValue;
        private readonly long _target;
        private readonly int _min;
        private readonly int _max;
        private readonly List<(DateTimeOffset Time, int Replicas)> _recommendations = new();
        private readonly List<(DateTimeOffset Time, int Change)> _upEvents = new();
        private readonly List<(DateTimeOffset Time, int Change)> _downEvents = new();
        private bool _seeded;

        public HpaController(HpaRules rules, bool averageValue, long targetMilli, int minReplicas, int maxReplicas)
        {
            (_rules, _averageValue, _target, _min, _max) = (rules, averageValue, targetMilli, minReplicas, maxReplicas);
        }

        /// <summary>One sync at <paramref name="now"/>; <paramref name="usage"/> is the metric in milli-units, null when KEDA's metrics server failed.</summary>
        public HpaStep Sync(DateTimeOffset now, int current, long? usage)
        {
            if (!_seeded)
            {
                _recommendations.Add((now, current));
                _seeded = true;
            }

            if (current == 0)
            {
                return new HpaStep(0, null, "ScalingDisabled");
            }

            HpaStep step;
            if (current > _max)
            {
                step = new HpaStep(_max, null, "AboveMaxReplicas");
            }
            else if (current < _min)
            {
                step = new HpaStep(_min, null, "BelowMinReplicas");
            }
            else if (usage is null)
            {
                return new HpaStep(current, null, "FailedGetExternalMetric");
            }
            else
            {
                int proposal = HpaMath.Proposal(_averageValue, usage.Value, _target, current, _rules.Up.Tolerance, _rules.Down.Tolerance, out bool within);
                step = _rules.Legacy ? Legacy(now, current, proposal) : WithBehavior(now, current, proposal);
                if (within && step.Reason == "DesiredWithinRange")
                {
                    step = step with { Reason = "WithinTolerance" };
                }
            }

            if (!_rules.Legacy && step.Replicas != current)
            {
                (step.Replicas > current ? _upEvents : _downEvents).Add((now, Math.Abs(step.Replicas - current)));
            }

            Prune(now);
            return step;
        }

        /// <summary>normalizeDesiredReplicas: stabilizeRecommendation (cutoff included), then convertDesiredReplicasWithRules.</summary>
        private HpaStep Legacy(DateTimeOffset now, int current, int proposal)
        {
            DateTimeOffset cutoff = now.AddSeconds(-HpaRules.DownscaleStabilizationSeconds);
            int stabilized = _recommendations.Where(r => r.Time >= cutoff).Select(r => r.Replicas).Append(proposal).Max();
            _recommendations.Add((now, proposal));
            int scaleUpLimit = Math.Max(2 * current, 4);
            (int allowed, string limitReason) = _max > scaleUpLimit ? (scaleUpLimit, "ScaleUpLimit") : (_max, "TooManyReplicas");
            if (stabilized < _min)
            {
                return new HpaStep(_min, proposal, "TooFewReplicas");
            }

            if (stabilized > allowed)
            {
                return new HpaStep(allowed, proposal, limitReason);
            }

            return new HpaStep(stabilized, proposal, stabilized != proposal ? "ScaleDownStabilized" : "DesiredWithinRange");
        }

        /// <summary>normalizeDesiredReplicasWithBehaviors: stabilizeRecommendationWithBehaviors (cutoffs excluded), then the rate limits.</summary>
        private HpaStep WithBehavior(DateTimeOffset now, int current, int proposal)
        {
            DateTimeOffset upCutoff = now.AddSeconds(-_rules.Up.StabilizationWindowSeconds);
            DateTimeOffset downCutoff = now.AddSeconds(-_rules.Down.StabilizationWindowSeconds);
            int up = _recommendations.Where(r => r.Time > upCutoff).Select(r => r.Replicas).Append(proposal).Min();
            int down = _recommendations.Where(r => r.Time > downCutoff).Select(r => r.Replicas).Append(proposal).Max();
            _recommendations.Add((now, proposal));
            int stabilized = Math.Min(Math.Max(current, up), down);
            string reason = stabilized == proposal ? "DesiredWithinRange" : stabilized > proposal ? "ScaleDownStabilized" : "ScaleUpStabilized";
            if (stabilized > current)
            {
                int limit = Math.Max(Limit(_rules.Up, current, now, scaleUp: true), current);
                (int allowed, string limitReason) = _max > limit ? (limit, "ScaleUpLimit") : (_max, "TooManyReplicas");
                return stabilized > allowed ? new HpaStep(allowed, proposal, limitReason) : new HpaStep(stabilized, proposal, reason);
            }

            if (stabilized < current)
            {
                int limit = Math.Min(Limit(_rules.Down, current, now, scaleUp: false), current);
                (int allowed, string limitReason) = _min < limit ? (limit, "ScaleDownLimit") : (_min, "TooFewReplicas");
                return stabilized < allowed ? new HpaStep(allowed, proposal, limitReason) : new HpaStep(stabilized, proposal, reason);
            }

            return new HpaStep(stabilized, proposal, reason);
        }

        /// <summary>
        /// calculateScaleUpLimitWithScalingRules / calculateScaleDownLimitWithBehaviors: per policy, the replicas at the start of its period
        /// (current minus what was added, plus what was removed, within periodSeconds) plus (or minus) Pods, or times (1 ± Percent/100)
        /// rounded up for scale-up and truncated for scale-down; Max picks the largest change, Min the smallest, Disabled none.
        /// </summary>
        private int Limit(DirectionRules rules, int current, DateTimeOffset now, bool scaleUp)
        {
            if (rules.SelectPolicy == "Disabled")
            {
                return current;
            }

            bool largestChange = rules.SelectPolicy == "Max";
            int? result = null;
            foreach (ScalingPolicy policy in rules.Policies)
            {
                DateTimeOffset cutoff = now.AddSeconds(-policy.PeriodSeconds);
                int added = _upEvents.Where(e => e.Time > cutoff).Sum(e => e.Change);
                int removed = _downEvents.Where(e => e.Time > cutoff).Sum(e => e.Change);
                int start = current - added + removed;
                int proposed = scaleUp
                    ? policy.Percent ? (int)Math.Ceiling(start * (1 + policy.Value / 100.0)) : start + policy.Value
                    : policy.Percent ? (int)(start * (1 - policy.Value / 100.0)) : start - policy.Value;
                bool better = result is null || (scaleUp == largestChange ? proposed > result : proposed < result);
                result = better ? proposed : result;
            }

            return result ?? current;
        }

        /// <summary>Recommendations and events no window or period can reach again (the controller reuses their slots).</summary>
        private void Prune(DateTimeOffset now)
        {
            int keep = Math.Max(Math.Max(_rules.Up.StabilizationWindowSeconds, _rules.Down.StabilizationWindowSeconds), HpaRules.DownscaleStabilizationSeconds);
            DateTimeOffset recommendationCutoff = now.AddSeconds(-keep - 1);
            _recommendations.RemoveAll(r => r.Time < recommendationCutoff);
            DateTimeOffset eventCutoff = now.AddSeconds(-Math.Max(_rules.Up.LongestPeriod, _rules.Down.LongestPeriod) - 1);
            _upEvents.RemoveAll(e => e.Time < eventCutoff);
            _downEvents.RemoveAll(e => e.Time < eventCutoff);
        }
    }
}
