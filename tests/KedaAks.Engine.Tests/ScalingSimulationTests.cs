using System;
using System.Collections.Generic;
using System.Linq;
using KedaAks.Engine.Scaling;
using Xunit;

namespace KedaAks.Engine.Tests
{
    /// <summary>
    /// The replay's simulation against replica sequences computed by hand from the documented rules (wave2-facts A and B,
    /// keda-facts 5): one sample every 15 s from T0, KEDA polls every 30 s from T0 and acts before the HPA at the same instant,
    /// the HPA syncs every 15 s, threshold 10 AverageValue, maxReplicaCount 20, cooldown 300 s unless a case says otherwise.
    /// A history shorter than the run holds its last value.
    /// </summary>
    public class ScalingSimulationTests
    {
        private static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

        private static MetricHistory History(params double?[] values) =>
            new(values.Select((v, i) => v is null ? MetricPoint.Empty(T0.AddSeconds(15 * i)) : new MetricPoint(T0.AddSeconds(15 * i), v, 1)));

        private static ScalingReplayRequest Request(string threshold = "10", int min = 0, int max = 20, string? activation = null, bool ignoreNull = true,
            string? metricType = null) => new()
        {
            Query = new PrometheusQueryRequest
            {
                Query = "sum(queue)", Threshold = threshold, ActivationThreshold = activation, MinReplicaCount = min, MaxReplicaCount = max,
                IgnoreNullValues = ignoreNull, MetricType = metricType,
            },
        };

        private static SimulationRun Run(ScalingReplayRequest request, MetricHistory history, int samples) =>
            ScalingSimulation.Run(ReplaySettings.From(request, request.Query.Threshold!), history, T0, T0.AddSeconds(15 * (samples - 1)), TimeSpan.FromSeconds(15));

        private static int[] Replicas(ScalingReplayRequest request, MetricHistory history, int samples) => Run(request, history, samples).Samples.Select(s => s.Replicas).ToArray();

        /// <summary>A sequence written as runs of (count, replicas).</summary>
        private static int[] Seq(params (int Count, int Replicas)[] runs) => runs.SelectMany(r => Enumerable.Repeat(r.Replicas, r.Count)).ToArray();

        [Fact]
        public void Ramp_up_and_down_activates_is_rate_limited_capped_stabilized_then_cooled_to_zero()
        {
            // t=0,15: 0 (inactive, min 0: zero). t=30 poll: 50 > 0 active, 0 -> 1; HPA: ceil(50/10)=5, legacy limit max(2*1,4)=4 -> 4.
            // t=45: 100/(10*4)=2.5 -> 10, limit 8 -> 8. t=60: 150/(10*8) -> 15, limit 16 -> 15. t=75: 200 -> 20, max 20 -> 20.
            // t=90,105: ratio 1, within tolerance -> 20. t=120: 100 -> 10, t=135: 50 -> 5, t=150..: 0: the 5-minute window keeps 20
            // (the recommendation of t=105 counts until t=405, cutoff included). t=420: highest since t=120 is 10 -> 10; t=435: 5.
            // KEDA: last active poll t=120; 120+300 < now first at the poll t=450 -> 0.
            MetricHistory history = History(0, 0, 50, 100, 150, 200, 200, 200, 100, 50, 0);
            int[] expected = Seq((2, 0), (1, 4), (1, 8), (1, 15), (23, 20), (1, 10), (1, 5), (5, 0));
            Assert.Equal(expected, Replicas(Request(), history, expected.Length));
        }

        [Fact]
        public void Reasons_name_activation_the_scale_up_limit_the_cap_and_the_cooldown()
        {
            SimulationRun run = Run(Request(), History(0, 0, 50, 100, 150, 200, 200, 200, 100, 50, 0), 36);
            Assert.Equal("Inactive", run.Samples[0].Reason);
            Assert.Equal("Activated", run.Samples[2].Reason); // KEDA's change explains first, though the HPA went on to 4 at the same instant
            Assert.Equal("ScaleUpLimit", run.Samples[3].Reason);
            Assert.Equal(5, run.Samples[2].DesiredReplicas);
            Assert.Equal("WithinTolerance", run.Samples[6].Reason);
            Assert.Equal("Cooldown", run.Samples[10].Reason);
            Assert.Equal("ScaledToZero", run.Samples[30].Reason);
            Assert.False(run.Samples[30].IsActive);
            Assert.Null(run.Samples[30].DesiredReplicas);
        }

        [Fact]
        public void A_spike_shorter_than_the_stabilization_window_holds_the_scale_up_for_five_minutes()
        {
            // min 1: KEDA never scales to zero. Start at 10 -> steady 1. t=60: 40 -> 4 (limit 4). From t=75 the proposal is 1, but the
            // legacy window (max of the last 300 s, cutoff included) keeps 4 through t=360; at t=375 the t=60 recommendation is out -> 1.
            MetricHistory history = History(10, 10, 10, 10, 40, 10);
            int[] expected = Seq((4, 1), (21, 4), (5, 1));
            Assert.Equal(expected, Replicas(Request(min: 1), history, expected.Length));
        }

        [Fact]
        public void A_flat_line_inside_the_tolerance_keeps_the_replicas()
        {
            // 3 replicas: 32/(10*3)=1.067, 28/30=0.933 and 33/30=1.1 (the band's edge) are within 10 %: 3 stays, where ceil(value/10) would
            // say 4, 3, 4. 33.1/30=1.103 is outside: ceil(3.31)=4 (limit max(6,4)).
            var request = Request(min: 1);
            request.InitialReplicas = 3;
            MetricHistory history = History(32, 28, 33, 32, 28, 33, 33.1);
            Assert.Equal(Seq((6, 3), (3, 4)), Replicas(request, history, 9));
        }

        [Fact]
        public void Activation_is_strictly_above_the_threshold_and_governs_only_zero_to_one()
        {
            // activationThreshold 5: 5 and 3 are not above it -> 0, though the HPA would want 1. t=60 poll: 6 -> active, 0 -> 1; ceil(0.6)=1.
            // From t=90 the value is 4: inactive; last active poll t=60, so zero at the first poll after t=360: t=390. The HPA keeps min 1 meanwhile.
            MetricHistory history = History(5, 5, 3, 3, 6, 6, 4);
            int[] expected = Seq((4, 0), (22, 1), (4, 0));
            SimulationRun run = Run(Request(activation: "5"), history, expected.Length);
            Assert.Equal(expected, run.Samples.Select(s => s.Replicas).ToArray());
            Assert.False(run.Samples[0].IsActive);
            Assert.True(run.Samples[4].IsActive);
            Assert.Equal("Activated", run.Samples[4].Reason);
        }

        [Fact]
        public void A_gap_with_ignoreNullValues_true_reads_zero_and_scales_the_workload_to_zero()
        {
            // 50 -> steady 5 from the start. t=60..525 empty: 0 for KEDA (inactive) and the HPA (proposal 0). The window holds 5 until the
            // t=45 recommendation leaves it; KEDA's last active poll is t=30, so its first poll after t=330, t=360, scales to 0 (before the
            // HPA would have gone to 1). t=540: 50 again -> activated to 1; ceil(50/10)=5, limit 4 -> 4; t=555: 5.
            MetricHistory history = History(Enumerable.Repeat<double?>(50, 4).Concat(Enumerable.Repeat<double?>(null, 32)).Append(50).ToArray());
            int[] expected = Seq((24, 5), (12, 0), (1, 4), (3, 5));
            SimulationRun run = Run(Request(), history, expected.Length);
            Assert.Equal(expected, run.Samples.Select(s => s.Replicas).ToArray());
            Assert.Null(run.Samples[10].Value);
        }

        [Fact]
        public void A_gap_with_ignoreNullValues_false_is_a_trigger_error_and_the_hpa_holds()
        {
            // Each empty read fails: KEDA reports TriggerError and does not scale; the HPA's metric fails, so it keeps 5.
            MetricHistory history = History(Enumerable.Repeat<double?>(50, 4).Concat(Enumerable.Repeat<double?>(null, 32)).Append(50).ToArray());
            SimulationRun run = Run(Request(ignoreNull: false), history, 40);
            Assert.Equal(Seq((40, 5)), run.Samples.Select(s => s.Replicas).ToArray());
            Assert.Equal("TriggerError", run.Samples[10].Reason);
            Assert.Equal("prometheus metrics 'prometheus' target may be lost, the result is empty", run.FirstError);
        }

        [Fact]
        public void A_gap_with_ignoreNullValues_false_and_a_fallback_lands_on_the_fallback_replicas()
        {
            // fallback failureThreshold 3, replicas 2; KEDA's poll and the HPA's read both count failures: t=60 -> 2, t=75 -> 3, t=90 -> 5 > 3,
            // so from t=90 the HPA reads 10*2 -> 20/(10*5)=0.4 -> 2, held by the window at 5 until t=360 -> 2. KEDA: error with fallback
            // replicas 2 never scales to zero. t=540: 50 -> 5, limit max(2*2,4)=4 -> 4; t=555: 5.
            var request = Request(ignoreNull: false);
            request.Fallback = new ScaledObjectFallback { FailureThreshold = 3, Replicas = 2 };
            MetricHistory history = History(Enumerable.Repeat<double?>(50, 4).Concat(Enumerable.Repeat<double?>(null, 32)).Append(50).ToArray());
            int[] expected = Seq((24, 5), (12, 2), (1, 4), (3, 5));
            Assert.Equal(expected, Replicas(request, history, expected.Length));
        }

        [Fact]
        public void Explicit_behavior_policies_and_windows_rate_limit_both_directions()
        {
            // scaleUp: no window, Pods 2 per 60 s; scaleDown: 60 s window, Percent 50 per 30 s. min 1, steady 1 at 10.
            // Up from t=30 (proposal 10): +2 per 60 s counted from each scale event (events inside (now-60, now]): 3 at t=30, 5 at t=90,
            // 7 at t=150, 9 at t=210, 10 at t=270. t=315: 10 -> proposal 1, but the 60 s window keeps 10 (recommendations after t=255)
            // until t=360, when only 1s remain: 50 % of 10 -> 5; t=375: the t=360 event still counts (start 10) -> 5; t=390 -> 2;
            // t=405 -> 2 (start 5); t=420 -> 1.
            var request = Request(min: 1);
            request.Behavior = new HpaBehavior
            {
                ScaleUp = new HpaScalingRules { StabilizationWindowSeconds = 0, Policies = new HpaScalingPolicy[] { new("Pods", 2, 60) } },
                ScaleDown = new HpaScalingRules { StabilizationWindowSeconds = 60, Policies = new HpaScalingPolicy[] { new("Percent", 50, 30) } },
            };
            MetricHistory history = History(Enumerable.Repeat<double?>(10, 2).Concat(Enumerable.Repeat<double?>(100, 19)).Append(10).ToArray());
            int[] expected = Seq((2, 1), (4, 3), (4, 5), (4, 7), (4, 9), (3, 10), (3, 10), (2, 5), (2, 2), (3, 1));
            SimulationRun run = Run(request, history, expected.Length);
            Assert.Equal(expected, run.Samples.Select(s => s.Replicas).ToArray());
            Assert.Equal("ScaleUpLimit", run.Samples[2].Reason);
            Assert.Equal("ScaleDownStabilized", run.Samples[21].Reason);
            Assert.Equal("ScaleDownLimit", run.Samples[24].Reason);
        }

        [Fact]
        public void Default_behavior_policies_allow_four_pods_or_doubling_per_fifteen_seconds()
        {
            // A behavior with nothing set gets the API's defaults: up Pods 4 / Percent 100 per 15 s (Max), no window. From 1 towards 20:
            // max(1+4, 2*1)=5, max(5+4, 10)=10, 20. Down: the default 300 s window, Percent 100: straight to 1 once the window allows.
            var request = Request(min: 1);
            request.Behavior = new HpaBehavior();
            MetricHistory history = History(10, 10, 200);
            Assert.Equal(new[] { 1, 1, 5, 10, 20, 20 }, Replicas(request, history, 6));
        }

        [Fact]
        public void Value_metrics_multiply_by_the_ready_pods_until_the_ratio_is_inside_the_tolerance()
        {
            // Value target 100, 2 replicas: 150/100=1.5 -> ceil(1.5*2)=3; then ceil(4.5)=5, ceil(7.5)=8, 12, 18, 27 -> max 20. 100 -> ratio 1: holds.
            var request = Request(threshold: "100", min: 1, metricType: "Value");
            request.InitialReplicas = 2;
            MetricHistory history = History(150, 150, 150, 150, 150, 150, 100);
            Assert.Equal(new[] { 3, 5, 8, 12, 18, 20, 20, 20 }, Replicas(request, history, 8));
        }

        [Fact]
        public void Several_series_fail_like_KEDA_and_count_as_such()
        {
            var history = new MetricHistory(Enumerable.Range(0, 8).Select(i => new MetricPoint(T0.AddSeconds(15 * i), null, 2)));
            SimulationRun run = Run(Request(min: 1), history, 8);
            Assert.Equal("prometheus query sum(queue) returned multiple elements", run.FirstError);
            Assert.All(run.Samples, s => Assert.Equal(1, s.Replicas));
        }

        [Theory]
        [InlineData("0", "InvalidThreshold")]
        [InlineData("ten", "InvalidThreshold")]
        [InlineData("0.0004", "InvalidThreshold")]
        public void Thresholds_the_hpa_would_refuse_are_refused(string threshold, string errorId)
        {
            var error = Assert.Throws<KedaAksException>(() => ReplaySettings.From(Request(threshold), threshold));
            Assert.Equal(errorId, error.ErrorId);
            Assert.Equal(KedaErrorCategory.InvalidArgument, error.Category);
        }

        [Fact]
        public void Invalid_behavior_and_counts_are_refused_before_anything_runs()
        {
            var request = Request();
            request.Behavior = new HpaBehavior { ScaleUp = new HpaScalingRules { Policies = new HpaScalingPolicy[] { new("Pods", 0, 15) } } };
            Assert.Equal("InvalidHpaBehavior", Assert.Throws<KedaAksException>(() => ReplaySettings.From(request, "10")).ErrorId);
            var idle = Request(min: 1);
            idle.IdleReplicaCount = 1;
            Assert.Equal("InvalidReplicaCount", Assert.Throws<KedaAksException>(() => ReplaySettings.From(idle, "10")).ErrorId);
            Assert.Equal("InvalidMetricType", Assert.Throws<KedaAksException>(() => ReplaySettings.From(Request(metricType: "Utilization"), "10")).ErrorId);
        }
    }
}
