using System;
using System.Management.Automation;
using KedaAks.Infrastructure;

namespace KedaAks.Commands
{
    /// <summary>Proves KEDA's workload identity end to end, waiting while Entra propagates the federated credential.</summary>
    [Cmdlet(VerbsLifecycle.Wait, "KedaWorkloadIdentity")]
    [OutputType(typeof(WorkloadIdentityProof))]
    public sealed class WaitKedaWorkloadIdentityCommand : ClusterCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        public WorkloadIdentity? WorkloadIdentity { get; set; }

        [Parameter]
        public object? MonitorWorkspace { get; set; }

        [Parameter]
        [ValidateRange(1, 3600)]
        public int Timeout { get; set; } = 600;

        [Parameter]
        [ValidateRange(1, 300)]
        public int RetryIntervalSeconds { get; set; } = 10;

        private protected override void ProcessRecordCore()
        {
            WorkloadIdentity identity = WorkloadIdentity!;
            string? workspace = MonitorWorkspace is MonitorWorkspace { PrometheusQueryEndpoint: { } endpoint } ? endpoint : WorkspaceReference.ToResourceId(MonitorWorkspace);
            ClusterConnection connection = Connection();
            AzureSettings settings = Settings;
            WriteObject(InvokeAsync((host, token) => Engine.WorkloadIdentity.WaitAsync(connection, identity, workspace, TimeSpan.FromSeconds(Timeout), TimeSpan.FromSeconds(RetryIntervalSeconds), settings, host, token)));
        }
    }
}
