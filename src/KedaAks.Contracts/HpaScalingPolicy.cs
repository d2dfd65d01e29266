namespace KedaAks
{
    /// <summary>One policy of an HPA scaling rule (<c>behavior.scaleUp|scaleDown.policies[]</c>): change by Pods or Percent within PeriodSeconds.</summary>
    public sealed class HpaScalingPolicy
    {
        public HpaScalingPolicy()
        {
        }

        public HpaScalingPolicy(string type, int value, int periodSeconds)
        {
            Type = type;
            Value = value;
            PeriodSeconds = periodSeconds;
        }

        /// <summary>Pods or Percent.</summary>
        public string Type { get; set; } = "Pods";

        public int Value { get; set; }

        public int PeriodSeconds { get; set; } = 15;

        public override string ToString() => $"{Type} {Value}/{PeriodSeconds}s";
    }
}
