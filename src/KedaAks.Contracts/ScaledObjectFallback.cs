namespace KedaAks
{
    /// <summary><c>spec.fallback</c>: after more than FailureThreshold failed reads of a trigger, the HPA is fed a value that lands on Replicas.</summary>
    public sealed class ScaledObjectFallback
    {
        public int FailureThreshold { get; set; } = 3;

        public int Replicas { get; set; }

        /// <summary>static (KEDA's default), currentReplicas, currentReplicasIfHigher or currentReplicasIfLower.</summary>
        public string Behavior { get; set; } = "static";
    }
}
