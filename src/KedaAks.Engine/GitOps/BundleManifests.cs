using static KedaAks.Engine.GitOps.BundleYaml;

namespace KedaAks.Engine.GitOps
{
    /// <summary>
    /// The documents of a bundle, field names as Kubernetes, kustomize, Flux (source.toolkit.fluxcd.io/v1 HelmRepository,
    /// helm.toolkit.fluxcd.io/v2 HelmRelease) and Argo CD (argoproj.io/v1alpha1 Application) define them.
    /// </summary>
    internal static class BundleManifests
    {
        public const string RepositoryName = "kedacore";

        public const string ArgoNamespace = "argocd";

        /// <summary>Flux kustomize-controller: apply only the fields given and keep the other managers' (its FAQ's way to patch a pre-installed add-on), never prune.</summary>
        public static readonly IReadOnlyDictionary<string, string> FluxPatchAnnotations = new Dictionary<string, string>
        {
            ["kustomize.toolkit.fluxcd.io/ssa"] = "merge",
            ["kustomize.toolkit.fluxcd.io/prune"] = "disabled",
        };

        /// <summary>Argo CD: server-side apply of the given fields, and never prune or delete the add-on's account.</summary>
        public static readonly IReadOnlyDictionary<string, string> ArgoPatchAnnotations = new Dictionary<string, string>
        {
            ["argocd.argoproj.io/sync-options"] = "ServerSideApply=true,Prune=false,Delete=false",
        };

        public static Dictionary<string, object?> Namespace(string name) =>
            Map(("apiVersion", "v1"), ("kind", "Namespace"), ("metadata", Map(("name", name))));

        /// <summary>
        /// The operator's ServiceAccount with the workload identity annotations. For the add-on it is a patch of AKS's own account
        /// (kube-system/keda-operator): only the annotations, applied server-side next to the add-on's fields, never pruned or deleted.
        /// </summary>
        public static Dictionary<string, object?> ServiceAccount(BundleFacts facts)
        {
            var annotations = new Dictionary<string, object?> { ["azure.workload.identity/client-id"] = facts.ClientId };
            if (facts.TenantId is { Length: > 0 } tenant)
            {
                annotations["azure.workload.identity/tenant-id"] = tenant;
            }

            if (facts.IsAddon)
            {
                foreach (IReadOnlyDictionary<string, string> extra in new[] { FluxPatchAnnotations, ArgoPatchAnnotations })
                {
                    foreach (KeyValuePair<string, string> pair in extra)
                    {
                        annotations[pair.Key] = pair.Value;
                    }
                }
            }

            return Map(("apiVersion", "v1"), ("kind", "ServiceAccount"),
                ("metadata", Map(("name", facts.ServiceAccountName), ("namespace", facts.Namespace), ("annotations", annotations))));
        }

        public static Dictionary<string, object?> HelmRepository(BundleFacts facts) =>
            Map(("apiVersion", "source.toolkit.fluxcd.io/v1"), ("kind", "HelmRepository"),
                ("metadata", Map(("name", RepositoryName), ("namespace", facts.Namespace))),
                ("spec", Map(("type", facts.Chart!.Oci ? "oci" : null), ("interval", "1h"), ("url", facts.Chart.FluxUrl))));

        public static Dictionary<string, object?> HelmRelease(BundleFacts facts) =>
            Map(("apiVersion", "helm.toolkit.fluxcd.io/v2"), ("kind", "HelmRelease"),
                ("metadata", Map(("name", facts.ReleaseName), ("namespace", facts.Namespace))),
                ("spec", Map(
                    ("interval", "10m"),
                    ("releaseName", facts.ReleaseName),
                    ("chart", Map(("spec", Map(
                        ("chart", facts.Chart!.ChartName),
                        ("version", facts.ChartVersion),
                        ("sourceRef", Map(("kind", "HelmRepository"), ("name", RepositoryName), ("namespace", facts.Namespace))))))),
                    ("values", facts.Values))));

        /// <summary>The Argo CD alternative to the two Flux documents: the chart with the same values (server-side apply: KEDA's CRDs are too big for client-side apply).</summary>
        public static Dictionary<string, object?> Application(BundleFacts facts) =>
            Map(("apiVersion", "argoproj.io/v1alpha1"), ("kind", "Application"),
                ("metadata", Map(("name", facts.ReleaseName), ("namespace", ArgoNamespace))),
                ("spec", Map(
                    ("project", "default"),
                    ("source", Map(
                        ("repoURL", facts.Chart!.ArgoRepoUrl),
                        ("chart", facts.Chart.ChartName),
                        ("targetRevision", facts.ChartVersion),
                        ("helm", Map(("releaseName", facts.ReleaseName), ("valuesObject", facts.Values))))),
                    ("destination", Map(("server", "https://kubernetes.default.svc"), ("namespace", facts.Namespace))),
                    ("syncPolicy", Map(("syncOptions", new List<object?> { "ServerSideApply=true" }))))));

        public static Dictionary<string, object?> Kustomization(IReadOnlyList<string> resources) =>
            Map(("apiVersion", "kustomize.config.k8s.io/v1beta1"), ("kind", "Kustomization"), ("resources", new List<object?>(resources)));
    }
}
