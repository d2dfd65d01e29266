namespace KedaAks.Engine.Keda
{
    /// <summary>A ScaledObject's or HPA's scaleTargetRef with KEDA's defaults (apps/v1 Deployment).</summary>
    internal sealed record ScaleTarget(string ApiVersion, string Kind, string Name)
    {
        public string Group => ApiVersion.Contains('/', StringComparison.Ordinal) ? ApiVersion[..ApiVersion.IndexOf('/', StringComparison.Ordinal)] : string.Empty;

        /// <summary>KEDA's wording of the kind: group/version.Kind, e.g. apps/v1.Deployment (gvkr_types.go).</summary>
        public string Gvk => $"{ApiVersion}.{Kind}";

        /// <summary>The same workload: group, kind and name (the version may differ), as KEDA's webhook compares them.</summary>
        public bool Same(ScaleTarget other) => Name == other.Name && Kind == other.Kind && Group == other.Group;

        public override string ToString() => $"{Kind} '{Name}'";
    }

    /// <summary>
    /// KEDA's rules on who scales a workload (wave2-facts B6, field-notes 1.5): one ScaledObject per target; an HPA KEDA does not own
    /// blocks a ScaledObject unless it carries scaledobject.keda.sh/transfer-hpa-ownership: "true" and names that HPA in
    /// spec.advanced.horizontalPodAutoscalerConfig.name; HPAs annotated validations.keda.sh/hpa-ownership: "false" are not checked.
    /// </summary>
    internal static class ScaleTargets
    {
        public const string TransferAnnotation = "scaledobject.keda.sh/transfer-hpa-ownership";

        public const string SkipValidationAnnotation = "validations.keda.sh/hpa-ownership";

        public static ScaleTarget Of(JsonNode? obj) => new(
            Str(obj?["spec"]?["scaleTargetRef"]?["apiVersion"]) ?? "apps/v1", Str(obj?["spec"]?["scaleTargetRef"]?["kind"]) ?? "Deployment",
            Str(obj?["spec"]?["scaleTargetRef"]?["name"]) ?? string.Empty);

        public static string Name(JsonNode? obj) => Str(obj?["metadata"]?["name"]) ?? string.Empty;

        /// <summary>spec.advanced.horizontalPodAutoscalerConfig.name, when set.</summary>
        public static string? HpaName(JsonNode? scaledObject) => Str(scaledObject?["spec"]?["advanced"]?["horizontalPodAutoscalerConfig"]?["name"]);

        public static string? Annotation(JsonNode? obj, string key) => Str(obj?["metadata"]?["annotations"]?[key]);

        /// <summary>Whether ownerReferences name a ScaledObject (this one when <paramref name="scaledObject"/> is given).</summary>
        public static bool OwnedByScaledObject(JsonNode? obj, string? scaledObject = null) =>
            (obj?["metadata"]?["ownerReferences"] as JsonArray ?? new JsonArray()).OfType<JsonObject>()
                .Any(o => Str(o["kind"]) == "ScaledObject" && (scaledObject is null || Str(o["name"]) == scaledObject));

        /// <summary>Whether the ScaledObject already asks KEDA to take over this HPA.</summary>
        public static bool TakesOver(JsonNode? scaledObject, string hpa) => Annotation(scaledObject, TransferAnnotation) == "true" && HpaName(scaledObject) == hpa;

        /// <summary>Sets KEDA's ownership transfer on a ScaledObject body: the annotation and the HPA's name.</summary>
        public static void TakeOver(JsonObject scaledObject, string hpa)
        {
            JsonObject metadata = Child(scaledObject, "metadata");
            Child(metadata, "annotations")[TransferAnnotation] = "true";
            Child(Child(Child(scaledObject, "spec"), "advanced"), "horizontalPodAutoscalerConfig")["name"] = hpa;
        }

        public static DateTimeOffset? Created(JsonNode? obj) =>
            DateTimeOffset.TryParse(Str(obj?["metadata"]?["creationTimestamp"]), System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal, out DateTimeOffset at) ? at : null;

        public static string? Str(JsonNode? node) => node is JsonValue value && value.TryGetValue(out string? text) ? text : null;

        private static JsonObject Child(JsonObject parent, string name)
        {
            if (parent[name] is JsonObject child)
            {
                return child;
            }

            var created = new JsonObject();
            parent[name] = created;
            return created;
        }
    }
}
