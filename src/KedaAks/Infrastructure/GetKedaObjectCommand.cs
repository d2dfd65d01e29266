namespace KedaAks.Infrastructure
{
    /// <summary>Shared by the Get-Keda* cluster readers: namespace, wildcard names, all namespaces; a plain name that matches nothing is an error, as with Get-Item.</summary>
    public abstract class GetKedaObjectCommand : ClusterCmdlet
    {
        private string _scope = "the cluster";

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
            if (namespaced)
            {
                _scope = (ns is null ? "any namespace" : $"namespace '{ns}'") + $" on cluster '{connection.Name}'";
            }

            IReadOnlyList<KedaResource> found = InvokeAsync(call => Engine.Kubernetes.GetAsync(connection, kind, ns, call));
            var patterns = (Name ?? new[] { "*" }).Select(n => WildcardPattern.Get(n, WildcardOptions.IgnoreCase)).ToList();
            return found.Where(r => patterns.Any(p => p.IsMatch(r.Name))).ToList();
        }

        /// <summary>
        /// A non-terminating ObjectNotFound error (ErrorId <c>&lt;Kind&gt;NotFound</c>, target the name) for each -Name without
        /// wildcards that none of <paramref name="written"/> has; a wildcard that matches nothing stays silent.
        /// </summary>
        private protected void WriteNotFound(string kind, IReadOnlyCollection<KedaResource> written)
        {
            foreach (string name in (Name ?? System.Array.Empty<string>()).Where(n => !WildcardPattern.ContainsWildcardCharacters(n)))
            {
                if (written.Any(r => string.Equals(r.Name, name, System.StringComparison.OrdinalIgnoreCase)))
                {
                    continue;
                }

                string command = MyInvocation.MyCommand.Name;
                string list = AllNamespaces.IsPresent ? $"{command} -AllNamespaces" : $"{command}{(Namespace is null ? string.Empty : " -Namespace " + Namespace)} or {command} -AllNamespaces";
                WriteEngineError(new KedaAksException(kind + "NotFound", KedaErrorCategory.ObjectNotFound, $"{kind} '{name}' was not found in {_scope}.", name,
                    $"List the {kind}s that exist with {list}; a name with a wildcard (-Name '{name}*') returns nothing instead of an error."));
            }
        }
    }
}
