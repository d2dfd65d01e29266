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
    public abstract class AzureSettingsCmdlet : AzureSignInCmdlet
    {
        [Parameter]
        public string? SubscriptionId { get; set; }

        private protected override string? SubscriptionIdValue => SubscriptionId;
    }

    /// <summary>
    /// How a command signs in to Azure (-TokenSource, -ManagedIdentityClientId; the tenant and subscription from subclasses), merged over the runspace's
    /// Connect-KedaAzure defaults. Search-KedaAksCluster derives from this directly: its -SubscriptionId is a list, not the call's one subscription.
    /// </summary>
    public abstract class AzureSignInCmdlet : KedaAksCmdlet
    {
        [Parameter]
        public TokenSource TokenSource { get; set; }

        [Parameter]
        public string? ManagedIdentityClientId { get; set; }

        private protected abstract string? TenantIdValue { get; }

        /// <summary>The call's one subscription, when the command names one (null: the runspace default, AZURE_SUBSCRIPTION_ID or the Az context).</summary>
        private protected virtual string? SubscriptionIdValue => null;

        private protected override AzureSettings CallSettings => Settings;

        /// <summary>
        /// Every command of this kind may make a TLS connection (ARM, Entra, a cluster), so the machine's trust store starts loading as it is made:
        /// PowerShell makes a cmdlet only to run it, before binding its parameters.
        /// </summary>
        private protected AzureSignInCmdlet() => TrustStore.StartLoading();

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
                settings.SubscriptionId = SubscriptionIdValue ?? settings.SubscriptionId;
                settings.ManagedIdentityClientId = ManagedIdentityClientId ?? settings.ManagedIdentityClientId;
                return settings;
            }
        }
    }
}
