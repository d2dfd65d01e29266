namespace KedaAks.Commands
{
    /// <summary>Builds, in memory, a validated TriggerAuthentication (or ClusterTriggerAuthentication) that uses pod identity.</summary>
    [Cmdlet(VerbsCommon.New, "KedaTriggerAuthentication", HelpUri = HelpLinks.Base + "New-KedaTriggerAuthentication.md")]
    [OutputType(typeof(TriggerAuthentication))]
    public sealed class NewKedaTriggerAuthenticationCommand : NewKedaObjectCommand
    {
        [Parameter]
        [PodIdentityProviderTransformation]
        public PodIdentityProvider Provider { get; set; } = PodIdentityProvider.AzureWorkload;

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("ClientId")]
        public string? IdentityId { get; set; }

        [Parameter]
        public string? IdentityTenantId { get; set; }

        [Parameter]
        public string? IdentityAuthorityHost { get; set; }

        [Parameter]
        public SwitchParameter Cluster { get; set; }

        private protected override void ProcessRecordCore()
        {
            var request = new TriggerAuthenticationRequest
            {
                Name = Name,
                Namespace = Namespace,
                IsClusterScoped = Cluster.IsPresent,
                Provider = Provider,
                IdentityId = IdentityId,
                IdentityTenantId = IdentityTenantId,
                IdentityAuthorityHost = IdentityAuthorityHost,
            };
            WriteObject(Invoke(host => Engine.Resources.NewTriggerAuthentication(request, host)));
        }
    }
}
