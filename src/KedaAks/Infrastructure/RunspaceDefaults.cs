using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace KedaAks.Infrastructure
{
    /// <summary>
    /// Defaults set by Connect-KedaAzure, kept per runspace (never process-wide): Automation runs several jobs
    /// in one process and ForEach-Object -Parallel runspaces each start clean.
    /// </summary>
    internal static class RunspaceDefaults
    {
        private static readonly ConditionalWeakTable<Runspace, AzureSettings> s_azure = new();
        private static readonly ConditionalWeakTable<Runspace, ClusterConnection> s_cluster = new();

        /// <summary>The connection Connect-KedaCluster made in this runspace.</summary>
        public static ClusterConnection? Cluster
        {
            get => Runspace.DefaultRunspace is { } runspace && s_cluster.TryGetValue(runspace, out ClusterConnection? connection) ? connection : null;
            set
            {
                if (Runspace.DefaultRunspace is { } runspace)
                {
                    s_cluster.AddOrUpdate(runspace, value!);
                }
            }
        }

        public static AzureSettings? Azure
        {
            get => Runspace.DefaultRunspace is { } runspace && s_azure.TryGetValue(runspace, out AzureSettings? settings) ? settings : null;
            set
            {
                if (Runspace.DefaultRunspace is { } runspace)
                {
                    s_azure.AddOrUpdate(runspace, value!);
                }
            }
        }
    }
}
