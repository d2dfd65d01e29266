namespace KedaAks
{
    /// <summary>
    /// An HPA's <c>spec.behavior</c> (KEDA copies <c>spec.advanced.horizontalPodAutoscalerConfig.behavior</c> into the HPA it makes).
    /// When a ScaledObject sets none, the HPA runs the controller's legacy rules instead.
    /// </summary>
    public sealed class HpaBehavior
    {
        public HpaScalingRules? ScaleUp { get; set; }

        public HpaScalingRules? ScaleDown { get; set; }
    }
}
