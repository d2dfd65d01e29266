namespace KedaAks.Engine.Keda
{
    /// <summary>
    /// KEDA's activation and the HPA's replica calculation for one external metric (wave2-facts A2/A3): values
    /// as milli-quantities, the tolerance band, AverageValue against Value, and clamping to min/max replicas.
    /// </summary>
    internal static class HpaMath
    {
        /// <summary>kube-controller-manager's --horizontal-pod-autoscaler-tolerance default.</summary>
        public const double Tolerance = 0.1;

        /// <summary>KEDA is active when the value is above activationThreshold (0 when unset).</summary>
        public static bool IsActive(double value, double activationThreshold) => value > activationThreshold;

        /// <summary>A value as KEDA hands it to the HPA: a milli-quantity (three decimals); the usage side also turns negative into 0.</summary>
        public static double Milli(double value) => Math.Round(value, 3, MidpointRounding.AwayFromZero);

        public static double Usage(double value) => Math.Max(0, Milli(value));

        /// <summary>The milli-units the HPA reads (<c>MilliValue()</c> of KEDA's %.3f quantity); NaN, infinities and negatives are 0 (wave2-facts B4).</summary>
        public static long MilliUnits(double value) =>
            double.IsNaN(value) || double.IsInfinity(value) || value <= 0 ? 0 : (long)Math.Round(value * 1000, MidpointRounding.AwayFromZero);

        /// <summary>The tolerance test of replica_calculator.go: <c>(1 - down) &lt;= ratio &lt;= (1 + up)</c> keeps the current count.</summary>
        public static bool WithinTolerance(double ratio, double up, double down) => 1 - down <= ratio && ratio <= 1 + up;

        /// <summary>
        /// The HPA's proposal for one external metric in milli-units (wave2-facts A3). AverageValue: ratio = usage / (target × current),
        /// outside the tolerance ceil(usage / target). Value: ratio = usage / target; from zero ceil(ratio), outside the tolerance
        /// ceil(ratio × ready pods), with every current pod taken as ready.
        /// </summary>
        public static int Proposal(bool averageValue, long usage, long target, int current, double up, double down, out bool withinTolerance)
        {
            withinTolerance = false;
            if (averageValue)
            {
                double ratio = usage / ((double)target * current);
                withinTolerance = current > 0 && WithinTolerance(ratio, up, down);
                return withinTolerance ? current : Ceiling(usage / (double)target);
            }

            double valueRatio = usage / (double)target;
            if (current == 0)
            {
                return Ceiling(valueRatio);
            }

            withinTolerance = WithinTolerance(valueRatio, up, down);
            return withinTolerance ? current : Ceiling(valueRatio * current);
        }

        /// <summary>The HPA's proposal before clamping: within tolerance keeps <paramref name="current"/> replicas.</summary>
        public static int Desired(bool averageValue, double usage, double target, int current) =>
            Proposal(averageValue, MilliUnits(usage), Math.Max(1, MilliUnits(target)), current, Tolerance, Tolerance, out _);

        /// <summary>The HPA never goes below one replica (KEDA owns scale to zero) nor above the maximum.</summary>
        public static int Floor(int minReplicaCount) => Math.Max(minReplicaCount, 1);

        public static int Clamp(int desired, int minReplicaCount, int maxReplicaCount) => Math.Min(Math.Max(desired, Floor(minReplicaCount)), maxReplicaCount);

        /// <summary>The replica count the HPA starts from when none is given: at least one.</summary>
        public static int Current(int? currentReplicas, int minReplicaCount) => Math.Max(currentReplicas ?? Math.Max(minReplicaCount, 1), 1);

        private static int Ceiling(double value) => value >= int.MaxValue ? int.MaxValue : (int)Math.Ceiling(value);
    }
}
