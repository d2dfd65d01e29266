namespace KedaAks
{
    /// <summary>
    /// What every engine call carries: the host it talks back to, the Azure settings of this command (the runspace
    /// defaults merged with its parameters) and the cancellation of the pipeline that runs it.
    /// </summary>
    public sealed class CallContext(IKedaAksHost host, AzureSettings azure, CancellationToken cancellation = default)
    {
        public IKedaAksHost Host { get; } = host;

        public AzureSettings Azure { get; } = azure;

        public CancellationToken Cancellation { get; } = cancellation;

        /// <summary>The same call with other Azure settings (e.g. the Entra settings a cluster connection was made with).</summary>
        public CallContext WithAzure(AzureSettings azure) => new(Host, azure, Cancellation);
    }
}
