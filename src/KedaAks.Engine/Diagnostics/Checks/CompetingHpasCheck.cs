namespace KedaAks.Engine.Diagnostics.Checks
{
    /// <summary>
    /// No HPA but KEDA's own scales a ScaledObject's target. KEDA's webhook refuses a ScaledObject for a workload that already has an
    /// HPA, but does not block an HPA created after the ScaledObject (AKS keda-about.md, field-notes 1.5): the two then fight over the
    /// replicas. An HPA older than the ScaledObject means the webhook was bypassed (its failurePolicy is Ignore) or not running.
    /// </summary>
    internal sealed class CompetingHpasCheck() : IntegrationCheck("CompetingHpas", needsCluster: true)
    {
        public override async Task<CheckResult> RunAsync(CheckContext context)
        {
            IReadOnlyList<ScaledObject> scaledObjects;
            try
            {
                scaledObjects = (await context.Kubernetes.GetAsync(context.Connection!, "ScaledObject", null, context.Call).ConfigureAwait(false)).OfType<ScaledObject>().ToList();
            }
            catch (KedaAksException exception) when (exception.ErrorId == "KedaNotInstalled")
            {
                return Skip("KEDA's CRDs are not installed.");
            }

            if (scaledObjects.Count == 0)
            {
                return Pass("No ScaledObjects.");
            }

            IReadOnlyList<JsonObject> hpas = await context.Gateway.ListAsync(context.Connection!, KubeKind.HorizontalPodAutoscaler, null,
                new KubeOperation(KubeKind.HorizontalPodAutoscaler.Plural, "Listing HorizontalPodAutoscalers"), context.Call).ConfigureAwait(false) ?? Array.Empty<JsonObject>();
            var fights = new List<string>();
            foreach (ScaledObject so in scaledObjects)
            {
                var target = new ScaleTarget(so.TargetApiVersion, so.TargetKind, so.TargetName);
                foreach (JsonObject hpa in hpas.Where(h => ScaleTargets.Str(h["metadata"]?["namespace"]) == so.Namespace && ScaleTargets.Of(h).Same(target)
                    && !ScaleTargets.OwnedByScaledObject(h, so.Name) && ScaleTargets.Name(h) != so.EffectiveHorizontalPodAutoscalerName))
                {
                    DateTimeOffset? created = ScaleTargets.Created(hpa);
                    string when = created is { } at && so.CreationTimestamp is { } since
                        ? at > since ? $"created {at - since:g} after the ScaledObject"
                            : at == since ? "created the same second as the ScaledObject" : "older than the ScaledObject (KEDA's webhook was bypassed or not running)"
                        : "next to the ScaledObject";
                    fights.Add($"HPA {so.Namespace}/{ScaleTargets.Name(hpa)} also scales {target}, {when}, and fights ScaledObject {so.Namespace}/{so.Name} "
                        + $"(KEDA's HPA {so.EffectiveHorizontalPodAutoscalerName}) over the replicas");
                }
            }

            return fights.Count == 0
                ? Pass($"{scaledObjects.Count} ScaledObject(s); no other HPA scales their targets.")
                : Fail(string.Join("; ", fights) + ".",
                    "Delete the other HPA and move its metrics into the ScaledObject's triggers (KEDA's HPA already scales the workload), or remove the ScaledObject "
                    + "to keep that HPA alone.");
        }
    }
}
