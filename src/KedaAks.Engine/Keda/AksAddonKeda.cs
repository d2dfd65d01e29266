using k8s.Models;

namespace KedaAks.Engine.Keda
{
    /// <summary>
    /// The AKS managed KEDA add-on: kube-system, the operator's service account, how its deployments are labelled,
    /// and the KEDA version AKS ships per Kubernetes minor (AKS supported-kubernetes-versions.md; users cannot pick it).
    /// </summary>
    internal static class AksAddonKeda
    {
        public const string Namespace = "kube-system";

        public const string ServiceAccount = KedaComponents.Operator;

        public static readonly string Subject = $"system:serviceaccount:{Namespace}:{ServiceAccount}";

        /// <summary>The add-on is Helm/Flux-managed by AKS: its objects carry these labels.</summary>
        public const string ManagedByLabel = "app.kubernetes.io/managed-by";

        public const string AddonManagerLabel = "addonmanager.kubernetes.io/mode";

        /// <summary>Kubernetes 1.x minor → the KEDA version the add-on runs there, as AKS's component table lists it (1.28, 1.29 and 1.34 are not listed).</summary>
        public static readonly IReadOnlyDictionary<int, Version> ByKubernetesMinor = new Dictionary<int, Version>
        {
            [24] = new(2, 9, 0), [25] = new(2, 9, 0), [26] = new(2, 10, 0), [27] = new(2, 11, 0), [30] = new(2, 11, 2), [31] = new(2, 14, 1), [32] = new(2, 14, 1),
            [33] = new(2, 16, 1), [35] = new(2, 17, 2), [36] = new(2, 19, 0),
        };

        /// <summary>The add-on's KEDA version on a Kubernetes version ("1.33.2"), or null when AKS's table does not list it.</summary>
        public static Version? VersionFor(string? kubernetesVersion) =>
            KedaVersions.Parse(kubernetesVersion) is { Major: 1 } k && ByKubernetesMinor.TryGetValue(k.Minor, out Version? keda) ? keda : null;

        /// <summary>Whether a deployment carries the add-on's management labels (seen without ARM, e.g. through a kubeconfig).</summary>
        public static bool IsAddonManaged(V1Deployment? deployment) =>
            deployment?.Metadata?.NamespaceProperty == Namespace && deployment.Metadata.Labels is { } labels
            && (labels.ContainsKey(AddonManagerLabel) || (labels.TryGetValue("kubernetes.azure.com/managedby", out string? by) && by == "aks"));
    }
}
