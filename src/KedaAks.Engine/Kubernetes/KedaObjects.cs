using System.Collections.ObjectModel;
using KedaAks.Engine.Resources;

namespace KedaAks.Engine.Kubernetes
{
    /// <summary>Objects read from a cluster mapped onto KedaAks' types (with resource version and status), KEDA's defaults filled in.</summary>
    internal static class KedaObjects
    {
        public static KedaResource? FromJson(JsonObject obj)
        {
            string? kind = Str(obj["kind"]);
            JsonNode? metadata = obj["metadata"];
            string name = Str(metadata?["name"]) ?? string.Empty;
            string? ns = Str(metadata?["namespace"]);
            string? resourceVersion = Str(metadata?["resourceVersion"]);
            JsonNode? spec = obj["spec"];
            switch (kind)
            {
                case "ScaledObject":
                    JsonNode? target = spec?["scaleTargetRef"];
                    var triggers = (spec?["triggers"] as JsonArray ?? new JsonArray()).OfType<JsonObject>().Select(Trigger).ToList();
                    var conditions = (obj["status"]?["conditions"] as JsonArray ?? new JsonArray()).OfType<JsonObject>().ToList();
                    JsonObject? ready = conditions.FirstOrDefault(c => Str(c["type"]) == "Ready");
                    return new ScaledObject(name, ns, Str(target?["name"]) ?? string.Empty, Str(target?["kind"]) ?? "Deployment", Str(target?["apiVersion"]) ?? "apps/v1",
                        Int(spec?["minReplicaCount"]) ?? PrometheusScalerBuilder.DefaultMinReplicaCount, Int(spec?["maxReplicaCount"]) ?? PrometheusScalerBuilder.DefaultMaxReplicaCount,
                        Int(spec?["pollingInterval"]) ?? PrometheusScalerBuilder.DefaultPollingInterval, Int(spec?["cooldownPeriod"]) ?? PrometheusScalerBuilder.DefaultCooldownPeriod,
                        Str(spec?["advanced"]?["horizontalPodAutoscalerConfig"]?["name"]), triggers)
                    {
                        ResourceVersion = resourceVersion,
                        CreationTimestamp = Keda.ScaleTargets.Created(obj),
                        IdleReplicaCount = Int(spec?["idleReplicaCount"]),
                        Fallback = spec?["fallback"] is JsonObject fallback ? new ScaledObjectFallback
                        {
                            FailureThreshold = Int(fallback["failureThreshold"]) ?? 3, Replicas = Int(fallback["replicas"]) ?? 0, Behavior = Str(fallback["behavior"]) ?? "static",
                        } : null,
                        Behavior = spec?["advanced"]?["horizontalPodAutoscalerConfig"]?["behavior"] is JsonObject behavior
                            ? new HpaBehavior { ScaleUp = Rules(behavior["scaleUp"]), ScaleDown = Rules(behavior["scaleDown"]) } : null,
                        Ready = Str(ready?["status"]),
                        Active = Str(conditions.FirstOrDefault(c => Str(c["type"]) == "Active")?["status"]),
                        Message = ready is not null && Str(ready["status"]) != "True" ? $"{Str(ready["reason"])}: {Str(ready["message"])}".Trim(' ', ':') : null,
                    };
                case "TriggerAuthentication":
                case "ClusterTriggerAuthentication":
                    JsonNode? pod = spec?["podIdentity"];
                    PodIdentityProviders.TryParse(Str(pod?["provider"]), out PodIdentityProvider provider);
                    return new TriggerAuthentication(name, ns, kind == "ClusterTriggerAuthentication", pod is null ? PodIdentityProvider.None : provider,
                        Str(pod?["identityId"]), Str(pod?["identityTenantId"]), Str(pod?["identityAuthorityHost"]))
                    { ResourceVersion = resourceVersion };
                case "ServiceAccount":
                    JsonNode? annotations = metadata?["annotations"];
                    return new ServiceAccount(name, ns, Str(annotations?["azure.workload.identity/client-id"]),
                        Str(annotations?["azure.workload.identity/tenant-id"])) { ResourceVersion = resourceVersion };
                default:
                    return null;
            }
        }

        private static ScaledObjectTrigger Trigger(JsonObject trigger)
        {
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            if (trigger["metadata"] is JsonObject values)
            {
                foreach (KeyValuePair<string, JsonNode?> pair in values)
                {
                    metadata[pair.Key] = Str(pair.Value) ?? pair.Value?.ToJsonString() ?? string.Empty;
                }
            }

            TriggerAuthenticationReference? reference = trigger["authenticationRef"] is JsonObject auth && Str(auth["name"]) is { } authName
                ? new TriggerAuthenticationReference(Str(auth["kind"]) == TriggerAuthentication.ClusterKind ? $"{TriggerAuthentication.ClusterKind}/{authName}" : authName)
                : null;
            return new ScaledObjectTrigger(Str(trigger["type"]) ?? string.Empty, Str(trigger["name"]), Str(trigger["metricType"]), new ReadOnlyDictionary<string, string>(metadata), reference);
        }

        /// <summary>One direction of an HPA behavior as the API spells it (tolerance is a quantity: a string or a number).</summary>
        private static HpaScalingRules? Rules(JsonNode? rules) => rules is not JsonObject r ? null : new HpaScalingRules
        {
            StabilizationWindowSeconds = Int(r["stabilizationWindowSeconds"]),
            SelectPolicy = Str(r["selectPolicy"]),
            Policies = r["policies"] is JsonArray policies
                ? policies.OfType<JsonObject>().Select(p => new HpaScalingPolicy(Str(p["type"]) ?? "Pods", Int(p["value"]) ?? 0, Int(p["periodSeconds"]) ?? 15)).ToArray() : null,
            Tolerance = r["tolerance"] is JsonValue t && double.TryParse(Str(t) ?? t.ToJsonString(), System.Globalization.NumberStyles.Float,
                System.Globalization.CultureInfo.InvariantCulture, out double tolerance) ? tolerance : null,
        };

        private static string? Str(JsonNode? node) => node is JsonValue value && value.TryGetValue(out string? text) ? text : null;

        private static int? Int(JsonNode? node) => node is JsonValue value && int.TryParse(value.ToJsonString(), out int number) ? number : null;
    }
}
