using System.Linq;
using System.Text.Json.Nodes;

namespace KedaAks.Sandbox.Kubernetes.Controllers
{
    /// <summary>
    /// KEDA v2.20's ScaledObject admission webhook (vscaledobject.kb.io, apis/keda/v1alpha1/scaledobject_webhook.go; wave2-facts B6), while
    /// a keda-admission-webhooks Deployment runs: another ScaledObject on the same workload or with the same HPA name is refused; an HPA
    /// in the namespace that scales the workload and is not this ScaledObject's (HPAs annotated validations.keda.sh/hpa-ownership: "false"
    /// skipped) is refused unless the ScaledObject has scaledobject.keda.sh/transfer-hpa-ownership: "true" and names that HPA in
    /// spec.advanced.horizontalPodAutoscalerConfig.name. The texts are KEDA's.
    /// </summary>
    public sealed class KedaAdmissionWebhook : IValidatingWebhook
    {
        public const string Name = "vscaledobject.kb.io";

        public (int, JsonNode?)? Review(ClusterStore store, ResourceType type, string? ns, JsonObject obj)
        {
            if (type.Group != "keda.sh" || type.Kind != "ScaledObject" || !KedaWorkloads.Runs(store, "keda-admission-webhooks"))
            {
                return null;
            }

            string name = KedaWorkloads.Str(obj["metadata"]?["name"]) ?? string.Empty;
            var target = KedaWorkloads.Target(obj["spec"]?["scaleTargetRef"]);
            string gvk = KedaWorkloads.Gvk(target);
            string hpaName = KedaWorkloads.HpaName(obj);
            foreach (JsonObject other in KedaWorkloads.InNamespace(store, "keda.sh", "scaledobjects", ns).Where(o => KedaWorkloads.Str(o["metadata"]?["name"]) != name))
            {
                string otherName = KedaWorkloads.Str(other["metadata"]?["name"])!;
                if (KedaWorkloads.SameTarget(target, KedaWorkloads.Target(other["spec"]?["scaleTargetRef"])))
                {
                    return KubernetesStatus.WebhookDenied(Name, $"the workload '{target.Name}' of type '{gvk}' is already managed by the ScaledObject '{otherName}'");
                }

                if (KedaWorkloads.HpaName(other) == hpaName)
                {
                    return KubernetesStatus.WebhookDenied(Name, $"the HPA '{hpaName}' is already managed by the ScaledObject '{otherName}'");
                }
            }

            foreach (JsonObject hpa in KedaWorkloads.InNamespace(store, "autoscaling", "horizontalpodautoscalers", ns))
            {
                string hpaObject = KedaWorkloads.Str(hpa["metadata"]?["name"])!;
                if (KedaWorkloads.Annotation(hpa, KedaWorkloads.SkipValidationAnnotation) == "false" || KedaWorkloads.OwnedBy(hpa, name)
                    || !KedaWorkloads.SameTarget(target, KedaWorkloads.Target(hpa["spec"]?["scaleTargetRef"])))
                {
                    continue;
                }

                if (KedaWorkloads.Annotation(obj, KedaWorkloads.TransferAnnotation) != "true")
                {
                    return KubernetesStatus.WebhookDenied(Name, $"the workload '{target.Name}' of type '{gvk}' is already managed by the hpa '{hpaObject}'");
                }

                if (hpaName != hpaObject)
                {
                    return KubernetesStatus.WebhookDenied(Name,
                        $"the existing hpa '{hpaObject}' for workload '{target.Name}' of type '{gvk}' must be specified by name in advanced settings to enable ownership transfer");
                }
            }

            return null;
        }
    }
}
