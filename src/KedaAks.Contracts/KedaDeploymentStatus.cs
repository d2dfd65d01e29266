namespace KedaAks
{
    /// <summary>One KEDA deployment's rollout state, e.g. <c>keda-operator 1/1</c>.</summary>
    public sealed class KedaDeploymentStatus
    {
        public string Name { get; set; } = string.Empty;

        public int Replicas { get; set; }

        public int Available { get; set; }

        public bool IsAvailable => Available >= Replicas && Replicas > 0;

        public override string ToString() => $"{Name} {Available}/{Replicas}";
    }
}
