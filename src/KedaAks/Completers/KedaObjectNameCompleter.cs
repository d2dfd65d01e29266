namespace KedaAks.Completers
{
    /// <summary>
    /// -Name of Get-/Remove-KedaScaledObject and Get-/Remove-KedaTriggerAuthentication: the names of that kind in -Namespace (or the
    /// connection's default namespace; every namespace with -AllNamespaces), ClusterTriggerAuthentications too with -IncludeClusterScoped.
    /// </summary>
    public sealed class KedaObjectNameCompleter : EngineCompleter
    {
        private protected override CompletionQuery? Query(string commandName, BoundArguments bound)
        {
            var kinds = new List<string>();
            if (commandName.EndsWith("ScaledObject", StringComparison.OrdinalIgnoreCase))
            {
                kinds.Add(ScaledObject.ResourceKind);
            }
            else if (commandName.EndsWith("TriggerAuthentication", StringComparison.OrdinalIgnoreCase))
            {
                kinds.Add(TriggerAuthentication.NamespacedKind);
                if (bound.Switch("IncludeClusterScoped"))
                {
                    kinds.Add(TriggerAuthentication.ClusterKind);
                }
            }
            else
            {
                return null;
            }

            bool all = bound.Switch("AllNamespaces");
            string? ns = bound.Text("Namespace");
            return bound.ClusterQuery($"names|{string.Join(",", kinds)}|{all}|{ns}", async (engine, connection, call) =>
            {
                var names = new List<string>();
                foreach (string kind in kinds)
                {
                    bool clusterScoped = kind == TriggerAuthentication.ClusterKind;
                    string? scope = all || clusterScoped ? null : ns ?? connection.DefaultNamespace;
                    IReadOnlyList<KedaResource> found = await engine.Kubernetes.GetAsync(connection, kind, scope, call).ConfigureAwait(false);
                    names.AddRange(found.Select(r => r.Name));
                }

                return names;
            });
        }
    }
}
