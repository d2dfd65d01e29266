namespace KedaAks
{
    /// <summary>The Azure cloud to talk to; <see cref="Custom"/> means an explicit ARM endpoint and authority (Azure Stack Hub, a private cloud, the local sandbox).</summary>
    public enum AzureCloudName
    {
        AzureCloud,
        AzureChinaCloud,
        AzureUSGovernment,
        Custom,
    }
}
