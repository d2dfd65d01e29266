namespace KedaAks.Commands
{
    /// <summary>
    /// The whole article in one command: OIDC issuer and workload identity, identity, federated credential, Monitoring Data Reader,
    /// namespace and service account, KEDA (Helm or the AKS add-on), the federation proven, the integration checked. Idempotent and
    /// resumable; -WhatIf prints the plan and writes nothing.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Install, "KedaAksIntegration", DefaultParameterSetName = ByObject, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium,
        HelpUri = HelpLinks.Base + "Install-KedaAksIntegration.md")]
    [OutputType(typeof(IntegrationResult))]
    [UsesParameters(typeof(ThrottleLimitParameter))]
    public sealed partial class InstallKedaAksIntegrationCommand : IntegrationCmdlet
    {
        private readonly ClusterFleet<AksIntegrationRequest, IntegrationResult?> _fleet = new("Install-KedaAksIntegration");

        /// <summary>Go on past Install-KedaHelm's gate for TriggerAuthentications that use the removed azure pod identity provider.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Skip Wait-KedaWorkloadIdentity's proof (for example when the caller may not request service-account tokens).</summary>
        [Parameter]
        public SwitchParameter SkipProof { get; set; }

        private protected override void ProcessRecordCore()
        {
            AksIntegrationRequest request = Request();
            request.Force = Force.IsPresent;
            request.SkipProof = SkipProof.IsPresent;
            if (ThrottleLimit > 1)
            {
                string name = request.Cluster?.Name ?? request.ClusterName ?? request.ClusterResourceId?.Split('/')[^1] ?? "cluster";
                _fleet.Add(request, name, (object?)request.Cluster ?? request.ClusterResourceId ?? name);
                return;
            }

            Write(request, InvokeAsync(call => Engine.AksIntegration.InstallAsync(request, call)));
        }

        private protected override void EndProcessingCore() => RunFleet(_fleet, ThrottleLimit, (request, call) => Engine.AksIntegration.InstallAsync(request, call), Write);

        private void Write(AksIntegrationRequest request, IntegrationResult? result)
        {
            if (result is not null)
            {
                WriteObject(result);
            }
        }
    }
}
