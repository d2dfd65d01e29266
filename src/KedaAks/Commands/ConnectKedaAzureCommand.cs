using System.Security;

namespace KedaAks.Commands
{
    /// <summary>Sets this runspace's Azure defaults (cloud, token source, tenant, subscription) after proving a token can be had.</summary>
    [Cmdlet(VerbsCommunications.Connect, "KedaAzure", HelpUri = HelpLinks.Base + "Connect-KedaAzure.md")]
    [OutputType(typeof(AzureConnection))]
    public sealed class ConnectKedaAzureCommand : KedaAksCmdlet
    {
        /// <summary>It may sign in and reads the cloud's metadata over TLS: the machine's trust store starts loading now (<see cref="TrustStore"/>).</summary>
        public ConnectKedaAzureCommand() => TrustStore.StartLoading();

        [Parameter]
        [ValidateSet("AzureCloud", "AzureChinaCloud", "AzureUSGovernment")]
        public string Environment { get; set; } = "AzureCloud";

        [Parameter]
        public Uri? ArmEndpoint { get; set; }

        [Parameter]
        public Uri? AuthorityHost { get; set; }

        [Parameter]
        public string? TenantId { get; set; }

        [Parameter]
        public string? SubscriptionId { get; set; }

        [Parameter]
        public TokenSource TokenSource { get; set; }

        [Parameter]
        public string? ManagedIdentityClientId { get; set; }

        [Parameter]
        public SecureString? AccessToken { get; set; }

        private protected override void ProcessRecordCore()
        {
            var settings = new AzureSettings
            {
                Cloud = ArmEndpoint is not null || AuthorityHost is not null ? AzureCloudName.Custom : (AzureCloudName)Enum.Parse(typeof(AzureCloudName), Environment),
                ArmEndpoint = ArmEndpoint,
                AuthorityHost = AuthorityHost,
                TenantId = TenantId,
                SubscriptionId = SubscriptionId,
                TokenSource = AccessToken is not null && !MyInvocation.BoundParameters.ContainsKey(nameof(TokenSource)) ? TokenSource.AccessToken : TokenSource,
                ManagedIdentityClientId = ManagedIdentityClientId,
                AccessToken = AccessToken,
            };
            AzureConnection connection = InvokeAsync(call => Engine.Azure.ConnectAsync(call.WithAzure(settings)));
            settings.SubscriptionId = connection.SubscriptionId;
            settings.TenantId ??= connection.TenantId;
            if (settings.Cloud == AzureCloudName.Custom && settings.ArmEndpoint is not null)
            {
                // -ArmEndpoint alone: keep what the engine read from the endpoint's metadata (or the built-in cloud it named) for later commands.
                settings.AuthorityHost ??= connection.AuthorityHost;
                settings.ArmAudience ??= connection.ArmAudience;
                settings.Cloud = connection.Environment;
                if (connection.Environment != AzureCloudName.Custom)
                {
                    settings.ArmEndpoint = null;
                    settings.AuthorityHost = null;
                    settings.ArmAudience = null;
                }
            }

            RunspaceDefaults.Azure = settings;
            WriteVerbose($"Azure defaults for this runspace: {connection.Environment}, {connection.ResolvedTokenSource}, subscription {connection.SubscriptionId ?? "(none)"}.");
            WriteObject(connection);
        }
    }
}
