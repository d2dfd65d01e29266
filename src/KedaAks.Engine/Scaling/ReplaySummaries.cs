using KedaAks.Engine.Diagnostics;

namespace KedaAks.Engine.Scaling
{
    /// <summary>A run's summary: peaks, time at the bounds, scale events, empty results, replica-hours, warnings and a suggested threshold.</summary>
    internal static class ReplaySummaries
    {
        public static ScalingReplaySummary Summarize(SimulationRun run, MetricHistory history, ScalingReplayRequest request, TimeSpan step, IEnumerable<string> shared)
        {
            ReplaySettings s = run.Settings;
            List<ScalingSample> samples = run.Samples;
            var summary = new ScalingReplaySummary
            {
                ScaledObjectName = request.Query.ScaledObjectName,
                Query = request.Query.Query,
                Threshold = s.ThresholdText,
                ActivationThreshold = request.Query.ActivationThreshold,
                MetricType = s.AverageValue ? "AverageValue" : "Value",
                Start = samples.FirstOrDefault()?.Time ?? default,
                End = samples.LastOrDefault()?.Time ?? default,
                Step = step,
                Samples = samples.Count,
                MinReplicaCount = s.MinReplicaCount,
                MaxReplicaCount = s.MaxReplicaCount,
                ScaleUps = run.ScaleUps,
                ScaleDowns = run.ScaleDowns,
                ScaleEvents = run.ScaleUps + run.ScaleDowns,
            };
            var points = samples.Select(x => history.At(x.Time)).ToList();
            summary.EmptySamples = points.Count(p => p.Series == 0 || (p.Series == 1 && p.Plotted is null));
            summary.MultipleElementSamples = points.Count(p => p.Series > 1);
            ScalingSample? peak = samples.Where(x => x.Value is not null).OrderByDescending(x => x.Value).ThenBy(x => x.Time).FirstOrDefault();
            (summary.PeakValue, summary.PeakTime) = (peak?.Value, peak?.Time);
            summary.PeakReplicas = samples.Count == 0 ? 0 : samples.Max(x => x.Replicas);

            // Each sample stands for the step after it (the last for none).
            double hours = 0, replicaHours = 0;
            for (int i = 0; i + 1 < samples.Count; i++)
            {
                TimeSpan span = samples[i + 1].Time - samples[i].Time;
                hours += span.TotalHours;
                replicaHours += samples[i].Replicas * span.TotalHours;
                summary.TimeAtMax += samples[i].Replicas >= s.MaxReplicaCount ? span : TimeSpan.Zero;
                summary.TimeAtZero += samples[i].Replicas == 0 ? span : TimeSpan.Zero;
            }

            summary.ReplicaHours = Math.Round(replicaHours, 3);
            summary.AverageReplicas = hours > 0 ? Math.Round(replicaHours / hours, 3) : samples.FirstOrDefault()?.Replicas ?? 0;
            summary.TargetReplicas = request.TargetReplicas ?? s.MaxReplicaCount;
            summary.SuggestedThreshold = Suggest(s, summary.PeakValue, summary.TargetReplicas.Value);
            summary.Warnings = Warnings(run, summary, request).Concat(shared).ToList();
            return summary;
        }

        /// <summary>
        /// For AverageValue the HPA wants ceil(value / threshold) replicas, so the peak needs no more than N at threshold peak / N
        /// (rounded up to the milli-unit the HPA reads). Value metrics settle at any count, so no threshold follows from a count.
        /// </summary>
        internal static string? Suggest(ReplaySettings s, double? peak, int target)
        {
            if (!s.AverageValue || peak is not > 0 || target < 1)
            {
                return null;
            }

            double milli = Math.Ceiling(Math.Round(peak.Value * 1000 / target, 6));
            return (Math.Max(milli, 1) / 1000).ToString("0.###", CultureInfo.InvariantCulture);
        }

        private static IEnumerable<string> Warnings(SimulationRun run, ScalingReplaySummary summary, ScalingReplayRequest request)
        {
            ReplaySettings s = run.Settings;
            if (summary.EmptySamples > 0)
            {
                yield return QueryAdvice.SilentZero(summary.EmptySamples, s.MinReplicaCount, s.IgnoreNullValues)
                    + (s.IgnoreNullValues && ZeroedByEmpty(run) ? " In this replay that happened: the workload went to zero while the metric was missing." : string.Empty);
            }

            if (summary.MultipleElementSamples > 0)
            {
                yield return $"{summary.MultipleElementSamples} evaluations returned several series: KEDA fails with \"{run.FirstError}\" and does not scale on them. "
                    + "Aggregate the query, e.g. sum(...).";
            }

            if (s.IdleReplicaCount is > 0)
            {
                yield return $"idleReplicaCount {s.IdleReplicaCount} is not 0: KEDA documents 0 as its only working value (the HPA's minReplicas fights any other).";
            }

            TimeSpan capped = Capped(run.Samples, s.MaxReplicaCount);
            if (capped > TimeSpan.Zero)
            {
                string suggestion = summary.SuggestedThreshold is { } suggested && summary.TargetReplicas == s.MaxReplicaCount
                    ? $" A threshold of {suggested} would have covered the peak {summary.PeakValue?.ToString("0.###", CultureInfo.InvariantCulture)} within {s.MaxReplicaCount} replicas."
                    : string.Empty;
                yield return $"With threshold {s.ThresholdText} the HPA wanted more than maxReplicaCount {s.MaxReplicaCount} for {capped}: the workload was capped.{suggestion}";
            }
        }

        /// <summary>How long the HPA's proposal was above maxReplicaCount (each sample standing for the step after it).</summary>
        private static TimeSpan Capped(List<ScalingSample> samples, int max)
        {
            TimeSpan capped = TimeSpan.Zero;
            for (int i = 0; i + 1 < samples.Count; i++)
            {
                capped += samples[i].DesiredReplicas > max ? samples[i + 1].Time - samples[i].Time : TimeSpan.Zero;
            }

            return capped;
        }

        /// <summary>Whether a sample at zero replicas follows an empty result while the workload was up (the silent zero).</summary>
        private static bool ZeroedByEmpty(SimulationRun run)
        {
            bool wasUp = false;
            foreach (ScalingSample sample in run.Samples)
            {
                if (sample.Replicas == 0 && wasUp && sample.Value is null)
                {
                    return true;
                }

                wasUp = sample.Replicas > 0;
            }

            return false;
        }
    }
}
