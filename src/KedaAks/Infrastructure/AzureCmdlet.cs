using System.Management.Automation;

namespace KedaAks.Infrastructure
{
    /// <summary>Base of every cmdlet that calls Azure: the token-source, tenant and subscription parameters merged over the runspace's Connect-KedaAzure defaults.</summary>
    public abstract class AzureCmdlet : KedaAksCmdlet
    {
        [Parameter]
        public TokenSource TokenSource { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? TenantId { get; set; }

        [Parameter]
        public string? SubscriptionId { get; set; }

        [Parameter]
        public string? ManagedIdentityClientId { get; set; }

        private protected AzureSettings Settings
        {
            get
            {
                AzureSettings settings = RunspaceDefaults.Azure?.Clone() ?? new AzureSettings();
                if (MyInvocation.BoundParameters.ContainsKey(nameof(TokenSource)))
                {
                    settings.TokenSource = TokenSource;
                    if (TokenSource != TokenSource.AccessToken)
                    {
                        settings.AccessToken = null;
                    }
                }

                settings.TenantId = TenantId ?? settings.TenantId;
                settings.SubscriptionId = SubscriptionId ?? settings.SubscriptionId;
                settings.ManagedIdentityClientId = ManagedIdentityClientId ?? settings.ManagedIdentityClientId;
                return settings;
            }
        }
    }
}
