namespace KedaAks.Engine.GitOps
{
    /// <summary>The README.md a bundle carries: what each file is for and in which order a GitOps tool applies them.</summary>
    internal static class BundleReadme
    {
        public static string Text(BundleFacts facts, IReadOnlyList<string> files, bool scaling)
        {
            var text = new StringBuilder();
            text.Append("# KEDA with Entra Workload ID (written by Export-KedaGitOpsBundle)\n\n");
            text.Append($"KEDA's operator runs as ServiceAccount `{facts.Namespace}/{facts.ServiceAccountName}`, annotated with client id `{facts.ClientId}`");
            text.Append(facts.TenantId is null ? ".\n\n" : $" and tenant `{facts.TenantId}`.\n\n");
            if (facts.IsAddon)
            {
                text.Append("KEDA is the AKS managed add-on: there is no Helm release. `serviceaccount.yaml` only adds the workload identity annotations to the add-on's own ");
                text.Append("ServiceAccount, by server-side apply (Flux: `kustomize.toolkit.fluxcd.io/ssa: merge`; Argo CD: `ServerSideApply=true`), and is never pruned or ");
                text.Append("deleted (`kustomize.toolkit.fluxcd.io/prune: disabled`, `Prune=false,Delete=false`). After the first sync, restart the operator once so the ");
                text.Append("webhook injects the identity: `Restart-KedaOperator -Namespace kube-system` or `kubectl rollout restart deployment keda-operator -n kube-system`.\n\n");
            }
            else
            {
                text.Append($"- Flux: reconcile this folder (`kustomization.yaml`: the Namespace, the ServiceAccount, HelmRepository `{BundleManifests.RepositoryName}` and ");
                text.Append($"HelmRelease `{facts.ReleaseName}` of chart `{facts.Chart!.ChartName}` {facts.ChartVersion}).\n");
                text.Append("- Argo CD: apply `namespace.yaml` and `serviceaccount.yaml`, and `argocd-application.yaml` instead of the two Flux files.\n");
                text.Append($"- `values.yaml` holds the same values for `helm upgrade --install {facts.ReleaseName} {facts.Chart.ChartName} --version {facts.ChartVersion} -f values.yaml`: ");
                text.Append($"the operator's service account in the chart's `{facts.Layout}` layout with `create: false` (this folder's ServiceAccount is the one), ");
                text.Append("and `podIdentity.azureWorkload` on, which labels the operator pod `azure.workload.identity/use: \"true\"`.\n\n");
            }

            if (scaling)
            {
                text.Append("`scaling/` holds the ScaledObjects and TriggerAuthentications. Reconcile it after KEDA is installed (a second Flux Kustomization with ");
                text.Append("`dependsOn` the first, or a later Argo CD sync wave): their kinds exist only once KEDA's CRDs do.\n\n");
            }

            text.Append("Files:\n\n");
            foreach (string file in files)
            {
                text.Append($"- `{file}`\n");
            }

            text.Append("- `README.md`\n");
            return text.ToString();
        }
    }
}
