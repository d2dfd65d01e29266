namespace KedaAks.Engine.GitOps
{
    /// <summary>One file of a bundle: its path relative to the folder ('/' separators), what it is, and its text.</summary>
    internal sealed record BundleFile(string RelativePath, string Description, string Content);

    /// <summary>
    /// The files of a bundle, rendered in memory before anything is written. The folder's kustomization.yaml installs KEDA (Helm: Namespace,
    /// ServiceAccount, Flux HelmRepository and HelmRelease; the add-on: the annotation patch of its ServiceAccount). The KEDA resources go to
    /// scaling/ with their own kustomization.yaml, reconciled after KEDA's CRDs exist: Flux dry-runs every object of a Kustomization
    /// before applying any, so a ScaledObject next to the HelmRelease that brings its CRD would block that HelmRelease.
    /// </summary>
    internal static class BundleFiles
    {
        public const string ScalingFolder = "scaling";

        public static IReadOnlyList<BundleFile> Render(BundleFacts facts, IReadOnlyList<KedaResource> resources, IManifestSerializer manifests)
        {
            var files = new List<BundleFile>();
            var installed = new List<string>();
            void Add(string path, string description, string content, bool inKustomization)
            {
                files.Add(new BundleFile(path, description, content));
                if (inKustomization)
                {
                    installed.Add(path);
                }
            }

            if (facts.IsAddon)
            {
                Add("serviceaccount.yaml", $"the workload identity annotations of the AKS add-on's ServiceAccount {facts.Namespace}/{facts.ServiceAccountName} (a server-side apply patch)",
                    BundleYaml.Document(BundleManifests.ServiceAccount(facts)), true);
            }
            else
            {
                if (facts.Namespace is not ("kube-system" or "default"))
                {
                    Add("namespace.yaml", $"Namespace {facts.Namespace}", BundleYaml.Document(BundleManifests.Namespace(facts.Namespace)), true);
                }

                Add("serviceaccount.yaml", $"ServiceAccount {facts.Namespace}/{facts.ServiceAccountName} annotated with client id {facts.ClientId}",
                    BundleYaml.Document(BundleManifests.ServiceAccount(facts)), true);
                Add("helmrepository.yaml", $"Flux HelmRepository {BundleManifests.RepositoryName} ({facts.Chart!.FluxUrl})",
                    BundleYaml.Document(BundleManifests.HelmRepository(facts)), true);
                Add("helmrelease.yaml", $"Flux HelmRelease {facts.Namespace}/{facts.ReleaseName} (chart {facts.Chart.ChartName} {facts.ChartVersion}, values in {facts.Layout})",
                    BundleYaml.Document(BundleManifests.HelmRelease(facts)), true);
                Add("values.yaml", $"the chart's values in the {facts.ChartVersion} layout ({facts.Layout}; the chart does not create the ServiceAccount)",
                    BundleYaml.Document(facts.Values!), false);
                Add("argocd-application.yaml", $"the Argo CD Application alternative ({BundleManifests.ArgoNamespace}/{facts.ReleaseName}, chart {facts.ChartVersion}, the same values)",
                    BundleYaml.Document(BundleManifests.Application(facts)), false);
            }

            files.Insert(0, new BundleFile("kustomization.yaml", $"the kustomization of KEDA's install ({string.Join(", ", installed)})",
                BundleYaml.Document(BundleManifests.Kustomization(installed))));
            if (resources.Count > 0)
            {
                string kinds = string.Join(", ", resources.GroupBy(r => r.Kind).Select(g => $"{g.Count()} {g.Key}"));
                files.Add(new BundleFile($"{ScalingFolder}/kustomization.yaml", $"the kustomization of the KEDA resources ({kinds}), applied once KEDA's CRDs exist",
                    BundleYaml.Document(BundleManifests.Kustomization(new[] { "keda-resources.yaml" }))));
                files.Add(new BundleFile($"{ScalingFolder}/keda-resources.yaml", $"the KEDA resources ({kinds})", manifests.ToYaml(resources)));
            }

            files.Add(new BundleFile("README.md", "how to use the bundle", BundleReadme.Text(facts, files.Select(f => f.RelativePath).ToList(), resources.Count > 0)));
            return files;
        }
    }
}
