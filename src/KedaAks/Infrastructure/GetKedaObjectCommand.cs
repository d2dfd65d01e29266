using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using KedaAks.Completers;

namespace KedaAks.Infrastructure
{
    /// <summary>Shared by the Get-Keda* cluster readers: namespace, wildcard names, all namespaces.</summary>
    public abstract class GetKedaObjectCommand : ClusterCmdlet
    {
        [Parameter(Position = 0)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(KedaObjectNameCompleter))]
        public string[]? Name { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(NamespaceCompleter))]
        public string? Namespace { get; set; }

        [Parameter]
        public SwitchParameter AllNamespaces { get; set; }

        private protected IEnumerable<KedaResource> Read(string kind, bool namespaced = true)
        {
            ClusterConnection connection = Connection();
            string? ns = AllNamespaces.IsPresent || !namespaced ? null : Namespace ?? connection.DefaultNamespace;
            IReadOnlyList<KedaResource> found = InvokeAsync(call => Engine.Kubernetes.GetAsync(connection, kind, ns, call));
            var patterns = (Name ?? new[] { "*" }).Select(n => WildcardPattern.Get(n, WildcardOptions.IgnoreCase)).ToList();
            return found.Where(r => patterns.Any(p => p.IsMatch(r.Name)));
        }
    }
}
