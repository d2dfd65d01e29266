namespace KedaAks.Engine.Scaling
{
    /// <summary>One scaling policy: change by Pods (absolute) or Percent within PeriodSeconds.</summary>
    internal sealed record ScalingPolicy(bool Percent, int Value, int PeriodSeconds);

    /// <summary>One direction of an HPA's behavior with the API's defaults filled in (wave2-facts A6).</summary>
    internal sealed record DirectionRules(int StabilizationWindowSeconds, string SelectPolicy, IReadOnlyList<ScalingPolicy> Policies, double Tolerance)
    {
        public int LongestPeriod => Policies.Count == 0 ? 0 : Policies.Max(p => p.PeriodSeconds);
    }

    /// <summary>
    /// The rules an HPA runs: the legacy path when the ScaledObject sets no behavior (KEDA's default, wave2-facts A5), or the
    /// behavior path with the API server's defaults for what it leaves out (A6): scale-up 0 s stabilization, Pods 4 and Percent 100
    /// per 15 s, Max; scale-down the controller's 300 s window, Percent 100 per 15 s, Max. Tolerances are 0.1 unless set (A2).
    /// </summary>
    internal sealed record HpaRules(bool Legacy, DirectionRules Up, DirectionRules Down)
    {
        /// <summary>--horizontal-pod-autoscaler-downscale-stabilization.</summary>
        public const int DownscaleStabilizationSeconds = 300;

        public static HpaRules Resolve(HpaBehavior? behavior)
        {
            if (behavior is null)
            {
                var none = Array.Empty<ScalingPolicy>();
                return new HpaRules(true, new DirectionRules(0, "Max", none, HpaMath.Tolerance), new DirectionRules(DownscaleStabilizationSeconds, "Max", none, HpaMath.Tolerance));
            }

            return new HpaRules(false,
                Direction(behavior.ScaleUp, "scaleUp", 0, new[] { new ScalingPolicy(false, 4, 15), new ScalingPolicy(true, 100, 15) }),
                Direction(behavior.ScaleDown, "scaleDown", DownscaleStabilizationSeconds, new[] { new ScalingPolicy(true, 100, 15) }));
        }

        private static DirectionRules Direction(HpaScalingRules? rules, string name, int window, ScalingPolicy[] policies)
        {
            int stabilization = rules?.StabilizationWindowSeconds ?? window;
            if (stabilization is < 0 or > 3600)
            {
                throw Invalid($"{name}.stabilizationWindowSeconds {stabilization} is outside 0..3600.");
            }

            string select = rules?.SelectPolicy ?? "Max";
            select = new[] { "Max", "Min", "Disabled" }.FirstOrDefault(s => s.Equals(select, StringComparison.OrdinalIgnoreCase))
                ?? throw Invalid($"{name}.selectPolicy '{select}' is none of Max, Min, Disabled.");
            IReadOnlyList<ScalingPolicy> chosen = rules?.Policies is { } given ? given.Select(p => Policy(p, name)).ToList() : policies;
            if (chosen.Count == 0 && select != "Disabled")
            {
                throw Invalid($"{name}.policies is empty: the API server requires at least one policy.");
            }

            double tolerance = rules?.Tolerance ?? HpaMath.Tolerance;
            if (tolerance < 0 || double.IsNaN(tolerance))
            {
                throw Invalid($"{name}.tolerance {tolerance} is negative.");
            }

            return new DirectionRules(stabilization, select, chosen, tolerance);
        }

        private static ScalingPolicy Policy(HpaScalingPolicy policy, string name)
        {
            bool percent = policy.Type.Equals("Percent", StringComparison.OrdinalIgnoreCase);
            if (!percent && !policy.Type.Equals("Pods", StringComparison.OrdinalIgnoreCase))
            {
                throw Invalid($"{name}.policies type '{policy.Type}' is neither Pods nor Percent.");
            }

            if (policy.Value <= 0 || policy.PeriodSeconds is <= 0 or > 1800)
            {
                throw Invalid($"{name}.policies {policy}: value must be > 0 and periodSeconds within 1..1800.");
            }

            return new ScalingPolicy(percent, policy.Value, policy.PeriodSeconds);
        }

        private static KedaAksException Invalid(string message) => new("InvalidHpaBehavior", KedaErrorCategory.InvalidArgument,
            $"The HPA behavior is not valid: {message}", message,
            "Fix spec.advanced.horizontalPodAutoscalerConfig.behavior (or -Behavior) as the autoscaling/v2 API requires it.");
    }
}
