using System;

namespace KedaAks.Engine.Keda
{
    /// <summary>
    /// KEDA's activation and the HPA's replica calculation for one external metric (wave2-facts A2/A3): values
    /// as milli-quantities, the 10 % tolerance, AverageValue against Value, and clamping to min/max replicas.
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

        /// <summary>The HPA's proposal before clamping: within tolerance keeps <paramref name="current"/> replicas.</summary>
        public static int Desired(bool averageValue, double usage, double target, int current)
        {
            double ratio = averageValue ? usage / (target * current) : usage / target;
            if (Math.Abs(1 - ratio) <= Tolerance)
            {
                return current;
            }

            return averageValue ? (int)Math.Ceiling(usage / target) : (int)Math.Ceiling(ratio * current);
        }

        /// <summary>The HPA never goes below one replica (KEDA owns scale to zero) nor above the maximum.</summary>
        public static int Floor(int minReplicaCount) => Math.Max(minReplicaCount, 1);

        public static int Clamp(int desired, int minReplicaCount, int maxReplicaCount) => Math.Min(Math.Max(desired, Floor(minReplicaCount)), maxReplicaCount);

        /// <summary>The replica count the HPA starts from when none is given: at least one.</summary>
        public static int Current(int? currentReplicas, int minReplicaCount) => Math.Max(currentReplicas ?? Math.Max(minReplicaCount, 1), 1);
    }
}
