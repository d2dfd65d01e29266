using System.Management.Automation;

namespace KedaAks.Infrastructure
{
    /// <summary>Base of every cmdlet that calls Azure: the token-source, tenant and subscription parameters merged over the runspace's Connect-KedaAzure defaults.</summary>
    public abstract class AzureCmdlet : AzureSettingsCmdlet
    {
        [Parameter]
        public string? TenantId { get; set; }

        private protected override string? TenantIdValue => TenantId;
    }

    /// <summary>The Azure parameters except -TenantId, which subclasses declare with the pipeline binding they need.</summary>
    public abstract class AzureSettingsCmdlet : KedaAksCmdlet
    {
        [Parameter]
        public TokenSource TokenSource { get; set; }

        private protected abstract string? TenantIdValue { get; }

        [Parameter]
        public string? SubscriptionId { get; set; }

        [Parameter]
        public string? ManagedIdentityClientId { get; set; }

        private protected override AzureSettings CallSettings => Settings;

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

                settings.TenantId = TenantIdValue ?? settings.TenantId;
                settings.SubscriptionId = SubscriptionId ?? settings.SubscriptionId;
                settings.ManagedIdentityClientId = ManagedIdentityClientId ?? settings.ManagedIdentityClientId;
                return settings;
            }
        }
    }
}
