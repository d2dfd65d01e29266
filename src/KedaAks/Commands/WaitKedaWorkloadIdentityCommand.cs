namespace KedaAks.Commands
{
    /// <summary>Proves KEDA's workload identity end to end, waiting while Entra propagates the federated credential.</summary>
    [Cmdlet(VerbsLifecycle.Wait, "KedaWorkloadIdentity", HelpUri = HelpLinks.Base + "Wait-KedaWorkloadIdentity.md")]
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

        /// <summary>-RetryIntervalSeconds when given; otherwise a tenth of the timeout, 1 to 10 s, so short timeouts still retry.</summary>
        private int RetryInterval => MyInvocation.BoundParameters.ContainsKey(nameof(RetryIntervalSeconds)) ? RetryIntervalSeconds : Math.Clamp(Timeout / 10, 1, 10);

        private protected override void ProcessRecordCore()
        {
            WorkloadIdentity identity = WorkloadIdentity!;
            string? workspace = MonitorWorkspace is null ? null
                : MonitorWorkspace is MonitorWorkspace { PrometheusQueryEndpoint: { } endpoint } ? endpoint : WorkspaceReference.ToReference(MonitorWorkspace);
            ClusterConnection connection = Connection();
            WriteObject(InvokeAsync(async call =>
            {
                if (workspace is not null && !workspace.StartsWith("/", StringComparison.Ordinal) && !Uri.TryCreate(workspace, UriKind.Absolute, out _))
                {
                    workspace = (await Engine.Azure.ResolveMonitorWorkspaceAsync(workspace, identity.SubscriptionId, identity.ResourceGroupName, call).ConfigureAwait(false)).ResourceId;
                }

                return await Engine.WorkloadIdentity.WaitAsync(connection, identity, workspace, TimeSpan.FromSeconds(Timeout), TimeSpan.FromSeconds(RetryInterval), call)
                    .ConfigureAwait(false);
            }));
        }
    }
}
