namespace KedaAks.Engine.Kubernetes
{
    /// <summary>
    /// Which ScaledObjects and ScaledJobs use a (Cluster)TriggerAuthentication through a trigger's authenticationRef: a
    /// TriggerAuthentication is referenced from its own namespace (kind unset or TriggerAuthentication), a ClusterTriggerAuthentication
    /// from any namespace (kind ClusterTriggerAuthentication).
    /// </summary>
    internal static class TriggerAuthenticationUsage
    {
        public static async Task<IReadOnlyList<string>> UsersAsync(IKubeGateway gateway, ClusterConnection connection, string kind, string? ns, string name, CallContext call)
        {
            bool cluster = kind == TriggerAuthentication.ClusterKind;
            var users = new List<string>();
            foreach (KubeKind scaled in new[] { KubeKind.Named("ScaledObject"), KubeKind.Named("ScaledJob") })
            {
                string where = cluster ? "all namespaces" : $"namespace '{ns}'";
                IReadOnlyList<JsonObject> objects = await gateway.ListAsync(connection, scaled, cluster ? null : ns,
                    new KubeOperation(scaled.Plural, $"Listing {scaled.Plural} in {where} to find users of {kind} '{name}'"), call).ConfigureAwait(false) ?? Array.Empty<JsonObject>();
                users.AddRange(objects.Where(o => Uses(o, cluster, name))
                    .Select(o => $"{scaled.Name} {ScaleTargets.Str(o["metadata"]?["namespace"])}/{ScaleTargets.Name(o)}"));
            }

            return users;
        }

        private static bool Uses(JsonObject scaled, bool cluster, string name) =>
            (scaled["spec"]?["triggers"] as JsonArray ?? new JsonArray()).OfType<JsonObject>().Select(t => t["authenticationRef"]).Any(r =>
                ScaleTargets.Str(r?["name"]) == name
                && (ScaleTargets.Str(r?["kind"]) ?? TriggerAuthentication.NamespacedKind) == (cluster ? TriggerAuthentication.ClusterKind : TriggerAuthentication.NamespacedKind));
    }
}
