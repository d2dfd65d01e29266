using System.Collections.Generic;
using System.Management.Automation;
using KedaAks.Completers;
using KedaAks.Infrastructure;

namespace KedaAks.Commands
{
    /// <summary>Checks the whole integration, read-only, and returns one result per check.</summary>
    [Cmdlet(VerbsDiagnostic.Test, "KedaIntegration", HelpUri = HelpLinks.Base + "Test-KedaIntegration.md")]
    [OutputType(typeof(CheckResult))]
    public sealed class TestKedaIntegrationCommand : ClusterCmdlet
    {
        [Parameter(ValueFromPipeline = true)]
        public WorkloadIdentity? WorkloadIdentity { get; set; }

        [Parameter]
        public object? MonitorWorkspace { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(NamespaceCompleter))]
        public string Namespace { get; set; } = "keda";

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string ServiceAccountName { get; set; } = "keda-operator";

        /// <summary>Auto: look for KEDA where the install mode says (kube-system/keda-operator for the AKS add-on), unless -Namespace is named.</summary>
        [Parameter]
        [ValidateSet("Auto", "Helm", "AksAddon")]
        public string InstallMethod { get; set; } = "Auto";

        [Parameter]
        [ValidateRange(1, 1440)]
        public int LogWindowMinutes { get; set; } = 15;

        private protected override void ProcessRecordCore()
        {
            ClusterTarget target = Target;
            string? clusterId = target.ClusterResourceId ?? (target.Cluster is null && !target.UsesArm ? WorkloadIdentity?.ClusterResourceId : null);
            AksCluster? cluster = Cluster;
            if (cluster is null && (clusterId is not null || target.ClusterName is not null))
            {
                cluster = InvokeAsync(call => Engine.Azure.GetClusterAsync(clusterId, target.ResourceGroupName, target.ClusterName, call));
            }

            ClusterConnection? connection = null;
            KedaAksException? connectionError = null;
            try
            {
                if (cluster is not null && target.KubeconfigPath is null && target.Context is null && RunspaceDefaults.Cluster is null)
                {
                    ClusterTarget viaArm = new() { Cluster = cluster, Admin = target.Admin };
                    connection = InvokeAsync(call => Engine.Kubernetes.ConnectAsync(viaArm, call));
                }
                else
                {
                    connection = Connection();
                }
            }
            catch (KedaAksException exception)
            {
                // Reported as the first cluster check's failure, so an unreachable cluster is never a silent pass.
                connectionError = exception;
                WriteVerbose($"No cluster connection: {exception.Message}");
            }

            string ns = Namespace;
            string serviceAccount = ServiceAccountName;
            if (InstallMethod != "Helm" && !MyInvocation.BoundParameters.ContainsKey(nameof(Namespace)))
            {
                string mode = InstallMethod == "AksAddon" || cluster is { KedaAddonEnabled: true } || string.Equals(cluster?.Sku, "Automatic", System.StringComparison.OrdinalIgnoreCase) ? "AksAddon"
                    : connection is null ? "None" : InvokeAsync(call => Engine.Addon.InstallMethodAsync(connection, cluster, call));
                if (mode == "AksAddon")
                {
                    (ns, serviceAccount) = ("kube-system", "keda-operator");
                    WriteVerbose("KEDA is the AKS managed add-on: checking kube-system/keda-operator.");
                }
            }

            var request = new IntegrationRequest
            {
                Cluster = cluster,
                Connection = connection,
                ConnectionError = connectionError,
                Identity = WorkloadIdentity,
                WorkspaceId = MonitorWorkspace is null ? null : WorkspaceReference.ToReference(MonitorWorkspace),
                Namespace = ns,
                ServiceAccountName = serviceAccount,
                LogWindow = System.TimeSpan.FromMinutes(LogWindowMinutes),
            };
            IReadOnlyList<CheckResult> results = InvokeAsync(async call =>
            {
                if (request.WorkspaceId is { } reference && !reference.StartsWith("/", System.StringComparison.Ordinal))
                {
                    MonitorWorkspace found = await Engine.Azure.ResolveMonitorWorkspaceAsync(reference, cluster?.SubscriptionId ?? WorkloadIdentity?.SubscriptionId,
                        cluster?.ResourceGroupName ?? WorkloadIdentity?.ResourceGroupName, call).ConfigureAwait(false);
                    request.WorkspaceId = found.ResourceId;
                }

                return await Engine.Integration.RunAsync(request, call).ConfigureAwait(false);
            });
            foreach (CheckResult result in results)
            {
                WriteObject(result);
            }
        }
    }
}
