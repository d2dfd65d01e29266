namespace KedaAks.Commands
{
    /// <summary>Removes KEDA's identity: its role assignments, its federated credential, then the identity.</summary>
    [Cmdlet(VerbsCommon.Remove, "KedaWorkloadIdentity", DefaultParameterSetName = ByObject, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High,
        HelpUri = HelpLinks.Base + "Remove-KedaWorkloadIdentity.md")]
    [OutputType(typeof(void))]
    public sealed class RemoveKedaWorkloadIdentityCommand : AzureCmdlet
    {
        private const string ByObject = "InputObject";
        private const string ByName = "ByName";

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = ByObject)]
        public WorkloadIdentity? InputObject { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = ByName)]
        [ValidateNotNullOrEmpty]
        public string? IdentityName { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = ByName)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ResourceGroupCompleter))]
        public string? ResourceGroupName { get; set; }

        [Parameter(ParameterSetName = ByName)]
        public string? FederatedCredentialName { get; set; } = "kedaFedIdentity";

        [Parameter]
        public SwitchParameter Force { get; set; }

        private protected override void ProcessRecordCore()
        {
            SkipConfirmation = Force.IsPresent && !MyInvocation.BoundParameters.ContainsKey("Confirm");
            AzureSettings settings = Settings;
            string? identityId = InputObject?.IdentityResourceId;
            if (identityId is null && IdentityName is not null)
            {
                string subscription = settings.SubscriptionId ?? System.Environment.GetEnvironmentVariable("AZURE_SUBSCRIPTION_ID")
                    ?? throw new KedaAksException("NoSubscription", KedaErrorCategory.InvalidArgument, "No Azure subscription was given.", null,
                        "Pass -SubscriptionId, set AZURE_SUBSCRIPTION_ID, or run Connect-KedaAzure -SubscriptionId.");
                identityId = $"/subscriptions/{subscription}/resourceGroups/{ResourceGroupName}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{IdentityName}";
            }

            var request = new RemoveWorkloadIdentityRequest
            {
                IdentityResourceId = identityId,
                FederatedCredentialName = InputObject?.FederatedCredentialName ?? FederatedCredentialName,
            };
            InvokeAsync(async call =>
            {
                await Engine.Azure.RemoveWorkloadIdentityAsync(request, call).ConfigureAwait(false);
                return true;
            });
        }
    }
}
