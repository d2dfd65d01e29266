namespace KedaAks
{
    /// <summary>
    /// <c>behavior.scaleUp</c> or <c>behavior.scaleDown</c> of an autoscaling/v2 HPA, as a ScaledObject's
    /// <c>spec.advanced.horizontalPodAutoscalerConfig.behavior</c> gives it. Unset members take the API's defaults.
    /// </summary>
    public sealed class HpaScalingRules
    {
        public int? StabilizationWindowSeconds { get; set; }

        /// <summary>Max (the default), Min or Disabled.</summary>
        public string? SelectPolicy { get; set; }

        /// <summary>Null: the API's default policies for the direction.</summary>
        public HpaScalingPolicy[]? Policies { get; set; }

        /// <summary>The per-direction tolerance (HPAConfigurableTolerance); null: the controller's 0.1.</summary>
        public double? Tolerance { get; set; }
    }
}
