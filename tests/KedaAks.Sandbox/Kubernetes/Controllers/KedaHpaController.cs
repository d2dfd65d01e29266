using System;
using System.Linq;
using System.Text.Json.Nodes;

namespace KedaAks.Sandbox.Kubernetes.Controllers
{
    /// <summary>
    /// The HPA side of KEDA's operator, while a keda-operator Deployment runs: for a ScaledObject whose target exists it makes the HPA
    /// keda-hpa-&lt;name&gt; (or spec.advanced.horizontalPodAutoscalerConfig.name) owned by the ScaledObject, with minReplicas
    /// max(minReplicaCount, 1), maxReplicas (100 when unset), one External metric per trigger and the behavior given; with the
    /// transfer-hpa-ownership annotation it adopts the existing HPA of that name. Deleting the ScaledObject deletes the HPAs it owns.
    /// </summary>
    public sealed class KedaHpaController : IKubernetesController
    {
        public void Written(ClusterStore store, ResourceType type, JsonObject stored)
        {
            if (type.Group != "keda.sh" || type.Plural != "scaledobjects" || !KedaWorkloads.Runs(store, "keda-operator"))
            {
                return;
            }

            string ns = KedaWorkloads.Str(stored["metadata"]?["namespace"]) ?? "default";
            var target = KedaWorkloads.Target(stored["spec"]?["scaleTargetRef"]);
            if (!KedaWorkloads.TargetExists(store, ns, target))
            {
                return; // KEDA reports the missing target in the ScaledObject's status; no HPA
            }

            string name = KedaWorkloads.Str(stored["metadata"]?["name"])!;
            string hpaName = KedaWorkloads.HpaName(stored);
            ResourceType hpas = store.Kind("horizontalpodautoscalers");
            string key = ClusterStore.Key(hpas, ns, hpaName);
            store.Objects.TryGetValue(key, out JsonObject? existing);
            bool adopt = existing is not null && !KedaWorkloads.OwnedBy(existing, name);
            if (adopt && KedaWorkloads.Annotation(stored, KedaWorkloads.TransferAnnotation) != "true")
            {
                return; // another owner's HPA: the webhook (when it runs) refused this already
            }

            JsonObject hpa = existing is null ? new JsonObject { ["apiVersion"] = "autoscaling/v2", ["kind"] = "HorizontalPodAutoscaler" } : (JsonObject)existing.DeepClone();
            var metadata = hpa["metadata"] as JsonObject ?? new JsonObject();
            hpa["metadata"] = metadata;
            metadata["name"] = hpaName;
            metadata["namespace"] = ns;
            var labels = metadata["labels"] as JsonObject ?? new JsonObject();
            labels["app.kubernetes.io/managed-by"] = "keda-operator";
            labels["scaledobject.keda.sh/name"] = name;
            metadata["labels"] = labels;
            metadata["ownerReferences"] = new JsonArray(new JsonObject
            {
                ["apiVersion"] = "keda.sh/v1alpha1", ["kind"] = "ScaledObject", ["name"] = name, ["uid"] = stored["metadata"]?["uid"]?.DeepClone(),
                ["controller"] = true, ["blockOwnerDeletion"] = true,
            });
            hpa["spec"] = Spec(stored, target, name);
            store.Put(key, store.Stamp(hpa, created: existing is null));
        }

        public void Deleted(ClusterStore store, ResourceType type, string name, JsonObject removed)
        {
            if (type.Group != "keda.sh" || type.Plural != "scaledobjects")
            {
                return;
            }

            string ns = KedaWorkloads.Str(removed["metadata"]?["namespace"]) ?? "default";
            foreach (string key in store.Objects.Where(p => p.Key.StartsWith($"autoscaling|horizontalpodautoscalers|{ns}|", StringComparison.Ordinal)
                && KedaWorkloads.OwnedBy(p.Value, name)).Select(p => p.Key).ToList())
            {
                store.Objects.Remove(key);
            }
        }

        private static JsonObject Spec(JsonObject scaledObject, (string ApiVersion, string Kind, string Name) target, string name)
        {
            JsonNode? spec = scaledObject["spec"];
            int min = int.TryParse(spec?["minReplicaCount"]?.ToJsonString(), out int m) ? m : 0;
            int max = int.TryParse(spec?["maxReplicaCount"]?.ToJsonString(), out int x) ? x : 100;
            var metrics = new JsonArray();
            int index = 0;
            foreach (JsonObject trigger in (spec?["triggers"] as JsonArray ?? new JsonArray()).OfType<JsonObject>())
            {
                string kind = KedaWorkloads.Str(trigger["metricType"]) ?? "AverageValue";
                string threshold = KedaWorkloads.Str(trigger["metadata"]?["threshold"]) ?? "1";
                metrics.Add(new JsonObject
                {
                    ["type"] = "External",
                    ["external"] = new JsonObject
                    {
                        ["metric"] = new JsonObject
                        {
                            ["name"] = $"s{index++}-{KedaWorkloads.Str(trigger["type"])}",
                            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["scaledobject.keda.sh/name"] = name } },
                        },
                        ["target"] = new JsonObject { ["type"] = kind, [kind == "Value" ? "value" : "averageValue"] = threshold },
                    },
                });
            }

            var result = new JsonObject
            {
                ["scaleTargetRef"] = new JsonObject { ["apiVersion"] = target.ApiVersion, ["kind"] = target.Kind, ["name"] = target.Name },
                ["minReplicas"] = Math.Max(min, 1), ["maxReplicas"] = max, ["metrics"] = metrics,
            };
            if (spec?["advanced"]?["horizontalPodAutoscalerConfig"]?["behavior"] is JsonNode behavior)
            {
                result["behavior"] = behavior.DeepClone();
            }

            return result;
        }
    }
}
