using System.Management.Automation;
using KedaAks.Infrastructure;

namespace KedaAks.Commands
{
    /// <summary>Enables the OIDC issuer and workload identity on an AKS cluster in one update (no-op when both are on).</summary>
    [Cmdlet(VerbsLifecycle.Enable, "KedaAksWorkloadIdentity", DefaultParameterSetName = ClusterTarget.ByObject, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(AksCluster))]
    public sealed class EnableKedaAksWorkloadIdentityCommand : AzureCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = ClusterTarget.ByObject)]
        public AksCluster? InputObject { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = ClusterTarget.ByName)]
        [ValidateNotNullOrEmpty]
        public string? ResourceGroupName { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = ClusterTarget.ByName)]
        [ValidateNotNullOrEmpty]
        public string? ClusterName { get; set; }

        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ClusterTarget.ById)]
        [Alias("ResourceId", "Id")]
        [ValidateNotNullOrEmpty]
        public string? ClusterResourceId { get; set; }

        private protected override void ProcessRecordCore()
        {
            AzureSettings settings = Settings;
            WriteObject(InvokeAsync((host, token) => Engine.Azure.EnableWorkloadIdentityAsync(settings, InputObject, ClusterResourceId, ResourceGroupName, ClusterName, host, token)));
        }
    }

    internal static class ClusterTarget
    {
        public const string ByObject = "InputObject";
        public const string ByName = "ByName";
        public const string ById = "ById";
    }
}
