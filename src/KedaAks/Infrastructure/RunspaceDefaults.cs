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
