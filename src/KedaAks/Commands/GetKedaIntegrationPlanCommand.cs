namespace KedaAks.Commands
{
    /// <summary>What Install-KedaAksIntegration would do, as objects: one step each (Step, Action, Target, Detail), read-only.</summary>
    [Cmdlet(VerbsCommon.Get, "KedaIntegrationPlan", DefaultParameterSetName = ByObject, HelpUri = HelpLinks.Base + "Get-KedaIntegrationPlan.md")]
    [OutputType(typeof(IntegrationStep))]
    public sealed class GetKedaIntegrationPlanCommand : IntegrationCmdlet
    {
        private protected override void ProcessRecordCore()
        {
            AksIntegrationRequest request = Request();
            WriteObject(InvokeAsync(call => Engine.AksIntegration.PlanAsync(request, call)), enumerateCollection: true);
        }
    }
}
