using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;

namespace KedaAks.Sandbox.Kubernetes.Controllers
{
    /// <summary>What KEDA's webhook and operator read from a ScaledObject and the cluster: its scale target, its HPA's name, HPAs and their owners.</summary>
    internal static class KedaWorkloads
    {
        public const string TransferAnnotation = "scaledobject.keda.sh/transfer-hpa-ownership";

        public const string SkipValidationAnnotation = "validations.keda.sh/hpa-ownership";

        /// <summary>Whether a Deployment of this name runs in any namespace (KEDA's operator, or its admission webhooks).</summary>
        public static bool Runs(ClusterStore store, string deployment) =>
            store.Objects.Keys.Any(k => k.StartsWith("apps|deployments|", StringComparison.Ordinal) && k.EndsWith("|" + deployment, StringComparison.Ordinal));

        /// <summary>spec.scaleTargetRef with KEDA's defaults (apps/v1 Deployment).</summary>
        public static (string ApiVersion, string Kind, string Name) Target(JsonNode? scaleTargetRef) =>
            (Str(scaleTargetRef?["apiVersion"]) ?? "apps/v1", Str(scaleTargetRef?["kind"]) ?? "Deployment", Str(scaleTargetRef?["name"]) ?? string.Empty);

        /// <summary>KEDA's GVK string, e.g. apps/v1.Deployment.</summary>
        public static string Gvk((string ApiVersion, string Kind, string Name) target) => $"{target.ApiVersion}.{target.Kind}";

        public static bool SameTarget((string ApiVersion, string Kind, string Name) a, (string ApiVersion, string Kind, string Name) b) =>
            a.Name == b.Name && a.Kind == b.Kind && Group(a.ApiVersion) == Group(b.ApiVersion);

        public static string HpaName(JsonObject scaledObject) =>
            Str(scaledObject["spec"]?["advanced"]?["horizontalPodAutoscalerConfig"]?["name"]) ?? "keda-hpa-" + Str(scaledObject["metadata"]?["name"]);

        public static string? Annotation(JsonObject obj, string key) => Str(obj["metadata"]?["annotations"]?[key]);

        public static IEnumerable<JsonObject> InNamespace(ClusterStore store, string group, string plural, string? ns) =>
            store.Objects.Where(p => p.Key.StartsWith($"{group}|{plural}|{ns}|", StringComparison.Ordinal)).Select(p => p.Value);

        /// <summary>Whether an object's ownerReferences name this ScaledObject.</summary>
        public static bool OwnedBy(JsonObject obj, string scaledObject) =>
            (obj["metadata"]?["ownerReferences"] as JsonArray ?? new JsonArray()).OfType<JsonObject>()
                .Any(o => Str(o["kind"]) == "ScaledObject" && Str(o["name"]) == scaledObject);

        /// <summary>Whether the target the scaleTargetRef names exists (the kinds the sandbox serves).</summary>
        public static bool TargetExists(ClusterStore store, string ns, (string ApiVersion, string Kind, string Name) target) =>
            store.Types.FirstOrDefault(t => t.Kind == target.Kind && t.ApiVersion == target.ApiVersion) is { } type
            && store.Objects.ContainsKey(ClusterStore.Key(type, ns, target.Name));

        public static string? Str(JsonNode? node) => node is JsonValue value && value.TryGetValue(out string? text) ? text : null;

        private static string Group(string apiVersion) => apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)] : string.Empty;
    }
}
