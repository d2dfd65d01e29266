using System.Management.Automation;
using KedaAks.Infrastructure;

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
    public sealed class InstallKedaAksIntegrationCommand : IntegrationCmdlet
    {
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
            if (InvokeAsync(call => Engine.AksIntegration.InstallAsync(request, call)) is { } result)
            {
                WriteObject(result);
            }
        }
    }
}
