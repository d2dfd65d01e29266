namespace KedaAks.Commands
{
    /// <summary>
    /// Checks the whole integration, read-only, and returns one result per check (or, with -Summary, one row per cluster). With -ThrottleLimit above 1,
    /// piped clusters are checked in parallel (<see cref="ClusterFleet{TWork, TResult}"/>); otherwise each one as it arrives.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "KedaIntegration", HelpUri = HelpLinks.Base + "Test-KedaIntegration.md")]
    [OutputType(typeof(CheckResult), typeof(IntegrationSummary))]
    [UsesParameters(typeof(KedaNamespaceParameter), typeof(ServiceAccountNameParameter), typeof(InstallMethodParameter), typeof(ThrottleLimitParameter))]
    public sealed partial class TestKedaIntegrationCommand : ClusterCmdlet
    {
        private readonly ClusterFleet<Work, Outcome> _fleet = new("Test-KedaIntegration");

        [Parameter(ValueFromPipeline = true)]
        public WorkloadIdentity? WorkloadIdentity { get; set; }

        [Parameter]
        public object? MonitorWorkspace { get; set; }

        [Parameter]
        [ValidateRange(1, 1440)]
        public int LogWindowMinutes { get; set; } = 15;

        /// <summary>One IntegrationSummary per cluster instead of one CheckResult per check.</summary>
        [Parameter]
        public SwitchParameter Summary { get; set; }

        private protected override void ProcessRecordCore()
        {
            Work work = Capture();
            if (ThrottleLimit > 1)
            {
                _fleet.Add(work, work.Name, work.TargetObject);
                return;
            }

            Write(work, InvokeAsync(call => CheckAsync(work, call)));
        }

        private protected override void EndProcessingCore() => RunFleet(_fleet, ThrottleLimit, CheckAsync, Write);

        /// <summary>Everything this record's check needs from the pipeline thread: the cluster named (or the current connection's), how to reach it, the parameters.</summary>
        private Work Capture()
        {
            ClusterTarget target = Target;
            string? clusterId = target.ClusterResourceId ?? (target.Cluster is null && !target.UsesArm ? WorkloadIdentity?.ClusterResourceId : null);
            ClusterConnection? connected = null;
            if (Cluster is null && clusterId is null && target.IsEmpty && RunspaceDefaults.Cluster is { ClusterResourceId: { } current } connection)
            {
                (clusterId, connected) = (current, connection);
                WriteVerbose($"No cluster named: checking AKS cluster '{LastSegment(current)}' of the current Connect-KedaCluster connection.");
            }

            bool named = Cluster is not null || clusterId is not null || target.ClusterName is not null;
            bool viaArm = connected is null && named && target.KubeconfigPath is null && target.Context is null && RunspaceDefaults.Cluster is null;
            ClusterTarget? connectTarget = null;
            KedaAksException? choiceError = null;
            if (connected is null && !viaArm)
            {
                try
                {
                    (connectTarget, connected) = ConnectionChoice();
                }
                catch (KedaAksException exception)
                {
                    // Reported as the first cluster check's failure, so an unreachable cluster is never a silent pass.
                    choiceError = exception;
                }
            }

            string? id = clusterId ?? (Cluster?.ResourceId is { Length: > 0 } resourceId ? resourceId : null);
            string name = (Cluster?.Name is { Length: > 0 } clusterName ? clusterName : null) ?? (id is null ? null : LastSegment(id)) ?? target.ClusterName ?? connected?.Name
                ?? target.Context ?? "current cluster";
            // What the checks are asked about; the cluster and its connection are added where the check runs.
            var request = new IntegrationRequest
            {
                Identity = WorkloadIdentity,
                WorkspaceId = MonitorWorkspace is null ? null : WorkspaceReference.ToReference(MonitorWorkspace),
                Namespace = Namespace,
                ServiceAccountName = ServiceAccountName,
                LogWindow = System.TimeSpan.FromMinutes(LogWindowMinutes),
            };
            return new Work(Cluster, clusterId, target, viaArm, connectTarget, connected, choiceError, request,
                InstallMethod != "Helm" && !MyInvocation.BoundParameters.ContainsKey(nameof(Namespace)), InstallMethod, name, (object?)Cluster ?? clusterId ?? name);
        }

        /// <summary>One cluster's checks; only the engine and <paramref name="call"/> are used, so it runs off the pipeline thread too.</summary>
        private async Task<Outcome> CheckAsync(Work work, CallContext call)
        {
            AksCluster? cluster = work.Cluster;
            if (cluster is null && (work.ClusterId is not null || work.Target.ClusterName is not null))
            {
                cluster = await Engine.Azure.GetClusterAsync(work.ClusterId, work.Target.ResourceGroupName, work.Target.ClusterName, call).ConfigureAwait(false);
            }

            ClusterConnection? connection = work.Connected;
            KedaAksException? connectionError = work.ChoiceError;
            if (connection is null && connectionError is null && (work.ViaArm ? cluster is not null : work.ConnectTarget is not null))
            {
                try
                {
                    ClusterTarget target = work.ViaArm ? new ClusterTarget { Cluster = cluster, Admin = work.Target.Admin } : work.ConnectTarget!;
                    connection = await Engine.Kubernetes.ConnectAsync(target, call).ConfigureAwait(false);
                }
                catch (KedaAksException exception)
                {
                    connectionError = exception;
                }
            }

            if (connectionError is not null)
            {
                call.Host.WriteVerbose($"No cluster connection: {connectionError.Message}");
            }

            IntegrationRequest request = work.Request;
            (request.Cluster, request.Connection, request.ConnectionError) = (cluster, connection, connectionError);
            if (work.LocateOperator)
            {
                OperatorLocation where = await Engine.Addon.LocateOperatorAsync(connection, cluster, work.InstallMethod, request.Namespace, request.ServiceAccountName, call)
                    .ConfigureAwait(false);
                (request.Namespace, request.ServiceAccountName) = (where.Namespace, where.ServiceAccountName);
                if (where.InstallMethod == "AksAddon")
                {
                    call.Host.WriteVerbose($"KEDA is the AKS managed add-on: checking {where.Namespace}/{where.ServiceAccountName}.");
                }
            }

            if (request.WorkspaceId is { } reference && !reference.StartsWith("/", System.StringComparison.Ordinal))
            {
                MonitorWorkspace found = await Engine.Azure.ResolveMonitorWorkspaceAsync(reference, cluster?.SubscriptionId ?? request.Identity?.SubscriptionId,
                    cluster?.ResourceGroupName ?? request.Identity?.ResourceGroupName, call).ConfigureAwait(false);
                request.WorkspaceId = found.ResourceId;
            }

            return new Outcome(cluster, await Engine.Integration.RunAsync(request, call).ConfigureAwait(false));
        }

        private void Write(Work work, Outcome outcome)
        {
            if (Summary.IsPresent)
            {
                WriteObject(Engine.Integration.Summarize(outcome.Cluster, outcome.Results));
                return;
            }

            foreach (CheckResult result in outcome.Results)
            {
                WriteObject(result);
            }
        }

        private static string LastSegment(string id) => id.TrimEnd('/').Substring(id.TrimEnd('/').LastIndexOf('/') + 1);

        private sealed record Work(AksCluster? Cluster, string? ClusterId, ClusterTarget Target, bool ViaArm, ClusterTarget? ConnectTarget, ClusterConnection? Connected,
            KedaAksException? ChoiceError, IntegrationRequest Request, bool LocateOperator, string InstallMethod, string Name, object TargetObject);

        private sealed record Outcome(AksCluster? Cluster, IReadOnlyList<CheckResult> Results);
    }
}
