namespace KedaAks
{
    /// <summary>Where the module gets Entra tokens. <see cref="Auto"/> tries AzContext, Environment, WorkloadIdentity, ManagedIdentity (when advertised), AzureCli.</summary>
    public enum TokenSource
    {
        Auto,
        AzContext,
        Environment,
        WorkloadIdentity,
        ManagedIdentity,
        AzureCli,
        DeviceCode,
        AccessToken,
    }
}
