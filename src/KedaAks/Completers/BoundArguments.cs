using System.IO;
using System.Management.Automation.Runspaces;

namespace KedaAks.Completers
{
    /// <summary>
    /// The other parameters already typed on the command line (PowerShell's "fake bound parameters"), read defensively, and
    /// what they say about the cluster and the Azure settings, as the cmdlet itself would read them (<see cref="ClusterCmdlet"/>).
    /// </summary>
    internal sealed class BoundArguments
    {
        private readonly IDictionary? _bound;

        public BoundArguments(IDictionary? bound) => _bound = bound;

        public bool Has(string name) => _bound?.Contains(name) == true;

        public string? Text(string name) => Texts(name)?.FirstOrDefault();

        public bool Switch(string name) => Value(name) switch
        {
            SwitchParameter s => s.IsPresent,
            bool b => b,
            null => Has(name),
            _ => true,
        };

        public IReadOnlyList<string>? Texts(string name) => Value(name) switch
        {
            null => null,
            string s => new[] { s },
            IEnumerable items => items.Cast<object?>().Select(Unwrap).OfType<object>().Select(o => o.ToString()!).ToList(),
            object o => new[] { o.ToString()! },
        };

        /// <summary>The runspace's Connect-KedaAzure settings with -SubscriptionId/-TenantId typed here; null when not signed in, or when signing in could prompt.</summary>
        public AzureSettings? SignedInAzure()
        {
            if (RunspaceDefaults.Azure?.Clone() is not { } settings || settings.TokenSource == TokenSource.DeviceCode)
            {
                return null;
            }

            settings.SubscriptionId = Text("SubscriptionId") ?? settings.SubscriptionId;
            settings.TenantId = Text("TenantId") ?? settings.TenantId;
            return settings;
        }

        /// <summary>The cluster the typed parameters name (an AKS cluster, a kubeconfig and context), as the cmdlet would build it.</summary>
        public ClusterTarget Target() => new()
        {
            ResourceGroupName = Text("ResourceGroupName"),
            ClusterName = Text("ClusterName"),
            ClusterResourceId = Text("ClusterResourceId") ?? Text("ResourceId") ?? Text("Id"),
            Admin = Switch("Admin"),
            KubeconfigPath = Texts("KubeconfigPath")?.Select(ResolvePath).ToList(),
            Context = Text("Context"),
        };

        /// <summary>A query for a cluster read: the runspace's Connect-KedaCluster connection when nothing names another cluster, else a new connection.</summary>
        public CompletionQuery? ClusterQuery(string what, Func<IKedaAksEngine, ClusterConnection, CallContext, System.Threading.Tasks.Task<IReadOnlyList<string>>> read)
        {
            ClusterTarget target = Target();
            if (target.IsEmpty && RunspaceDefaults.Cluster is { } connected)
            {
                return new CompletionQuery($"{what}|connection|{connected.Handle}", RunspaceDefaults.Azure?.Clone() ?? new AzureSettings(),
                    (engine, call) => read(engine, connected, call));
            }

            AzureSettings? azure = target.UsesArm ? SignedInAzure() : RunspaceDefaults.Azure?.Clone() ?? new AzureSettings();
            if (azure is null)
            {
                return null;
            }

            string key = string.Join("|", what, target.ResourceGroupName, target.ClusterName, target.ClusterResourceId, target.Admin, target.Context,
                string.Join(Path.PathSeparator.ToString(), target.KubeconfigPath ?? Array.Empty<string>()), Environment.GetEnvironmentVariable("KUBECONFIG"), azure.SubscriptionId);
            return new CompletionQuery(key, azure, async (engine, call) => await read(engine, await engine.Kubernetes.ConnectAsync(target, call).ConfigureAwait(false), call).ConfigureAwait(false));
        }

        /// <summary>A path as the cmdlet resolves it (relative to the current location), done here on the completing thread.</summary>
        public static string ResolvePath(string path)
        {
            try
            {
                if (Runspace.DefaultRunspace?.SessionStateProxy?.Path is { } paths)
                {
                    return paths.GetUnresolvedProviderPathFromPSPath(path);
                }
            }
            catch (Exception)
            {
                // fall back to the process's current directory
            }

            return Path.GetFullPath(path);
        }

        private object? Value(string name) => _bound is not null && _bound.Contains(name) ? Unwrap(_bound[name]) : null;

        private static object? Unwrap(object? value) => value is PSObject psObject ? psObject.BaseObject : value;
    }
}
