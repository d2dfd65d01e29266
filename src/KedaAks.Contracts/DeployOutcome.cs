namespace KedaAks
{
    /// <summary>Per-item outcome: a result or an error, in input order.</summary>
    public sealed class DeployOutcome
    {
        public DeployOutcome(DeployItem item, DeployResult? result, KedaAksException? error)
        {
            Item = item;
            Result = result;
            Error = error;
        }

        public DeployItem Item { get; }

        public DeployResult? Result { get; }

        public KedaAksException? Error { get; }
    }
}
