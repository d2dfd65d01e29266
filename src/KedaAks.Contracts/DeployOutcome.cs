namespace KedaAks
{
    /// <summary>Per-item outcome: a result or an error, in input order.</summary>
    public sealed class DeployOutcome(DeployItem item, DeployResult? result, KedaAksException? error)
    {
        public DeployItem Item { get; } = item;

        public DeployResult? Result { get; } = result;

        public KedaAksException? Error { get; } = error;
    }
}
