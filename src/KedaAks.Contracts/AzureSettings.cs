using System.Security;

namespace KedaAks
{
    /// <summary>Everything the engine needs to reach ARM for one command: the runspace defaults merged with the command's parameters.</summary>
    public sealed class AzureSettings
    {
        public AzureCloudName Cloud { get; set; } = AzureCloudName.AzureCloud;

        public Uri? ArmEndpoint { get; set; }

        public Uri? AuthorityHost { get; set; }

        /// <summary>A custom cloud's ARM token audience, as its metadata names it (<c>authentication.audiences[0]</c>); null: the ARM endpoint itself.</summary>
        public string? ArmAudience { get; set; }

        public string? TenantId { get; set; }

        public string? SubscriptionId { get; set; }

        public TokenSource TokenSource { get; set; } = TokenSource.Auto;

        public string? ManagedIdentityClientId { get; set; }

        /// <summary>A bearer token for ARM the caller already has (<c>Connect-KedaAzure -AccessToken</c>). Never logged.</summary>
        public SecureString? AccessToken { get; set; }

        public AzureSettings Clone() => (AzureSettings)MemberwiseClone();
    }
}
