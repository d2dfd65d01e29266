namespace KedaAks.Engine.Kubernetes
{
    /// <summary>A kind KedaAks applies, with where the API serves it.</summary>
    internal sealed record KubeKind(string Name, string Group, string Version, string Plural, bool Namespaced)
    {
        public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

        public string CrdName => $"{Plural}.{Group}";

        public bool IsKeda => Group == "keda.sh";

        public static readonly IReadOnlyList<KubeKind> All = new KubeKind[]
        {
            new("ScaledObject", "keda.sh", "v1alpha1", "scaledobjects", true),
            new("TriggerAuthentication", "keda.sh", "v1alpha1", "triggerauthentications", true),
            new("ClusterTriggerAuthentication", "keda.sh", "v1alpha1", "clustertriggerauthentications", false),
            new("ScaledJob", "keda.sh", "v1alpha1", "scaledjobs", true),
            new("ServiceAccount", string.Empty, "v1", "serviceaccounts", true),
            new("Namespace", string.Empty, "v1", "namespaces", false),
        };

        public static KubeKind Named(string name) => All.First(k => k.Name == name);

        /// <summary>Where KEDA's CRDs are read from (only whether each is there).</summary>
        public static readonly KubeKind CustomResourceDefinition = new("CustomResourceDefinition", "apiextensions.k8s.io", "v1", "customresourcedefinitions", false);

        /// <summary>The HPAs a ScaledObject's target may already have (read only; Deploy-KedaResource does not apply them).</summary>
        public static readonly KubeKind HorizontalPodAutoscaler = new("HorizontalPodAutoscaler", "autoscaling", "v2", "horizontalpodautoscalers", true);

        /// <summary>
        /// Where a scale target's kind is served: apps/v1 Deployment, StatefulSet, ReplicaSet, Argo's Rollout by name, other kinds by
        /// the API's plural rule; null for the core group (ReplicationController), which KedaAks does not read.
        /// </summary>
        public static KubeKind? Workload(string apiVersion, string kind)
        {
            int slash = apiVersion.IndexOf('/');
            if (slash <= 0 || kind.Length == 0)
            {
                return null;
            }

            string lower = kind.ToLowerInvariant();
            string plural = lower.EndsWith('s') || lower.EndsWith('x') || lower.EndsWith("ch", System.StringComparison.Ordinal) || lower.EndsWith("sh", System.StringComparison.Ordinal)
                ? lower + "es"
                : lower.Length > 1 && lower.EndsWith('y') && "aeiou".IndexOf(lower[^2]) < 0 ? lower[..^1] + "ies" : lower + "s";
            return new KubeKind(kind, apiVersion[..slash], apiVersion[(slash + 1)..], plural, true);
        }
    }

    /// <summary>What a Kubernetes request is about, for the error it may turn into: "{Action} failed: {API server's message}", target <see cref="Target"/>.</summary>
    internal sealed record KubeOperation(string Target, string Action);
}
