using System.Collections.Generic;
using System.Linq;

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
    }

    /// <summary>What a Kubernetes request is about, for the error it may turn into: "{Action} failed: {API server's message}", target <see cref="Target"/>.</summary>
    internal sealed record KubeOperation(string Target, string Action);
}
