using System.Linq;

namespace KedaAks
{
    /// <summary>A validated <c>keda.sh/v1alpha1</c> ScaledObject.</summary>
    public sealed class ScaledObject(string name, string? @namespace, string targetName, string targetKind, string targetApiVersion,
        int minReplicaCount, int maxReplicaCount, int pollingInterval, int cooldownPeriod,
        string? horizontalPodAutoscalerName, IReadOnlyList<ScaledObjectTrigger> triggers)
        : KedaResource("keda.sh/v1alpha1", ResourceKind, name, @namespace)
    {
        public const string ResourceKind = "ScaledObject";

        /// <summary><c>spec.scaleTargetRef.name</c>.</summary>
        public string TargetName { get; } = targetName;

        /// <summary><c>spec.scaleTargetRef.kind</c>, e.g. Deployment.</summary>
        public string TargetKind { get; } = targetKind;

        /// <summary><c>spec.scaleTargetRef.apiVersion</c>, e.g. apps/v1.</summary>
        public string TargetApiVersion { get; } = targetApiVersion;

        public int MinReplicaCount { get; } = minReplicaCount;

        public int MaxReplicaCount { get; } = maxReplicaCount;

        /// <summary>Seconds between KEDA's checks of each trigger.</summary>
        public int PollingInterval { get; } = pollingInterval;

        /// <summary>Seconds after the last active trigger before scaling back to <see cref="MinReplicaCount"/> (when that is 0).</summary>
        public int CooldownPeriod { get; } = cooldownPeriod;

        /// <summary>Custom HPA name (<c>spec.advanced.horizontalPodAutoscalerConfig.name</c>); null means KEDA's <c>keda-hpa-&lt;name&gt;</c>.</summary>
        public string? HorizontalPodAutoscalerName { get; } = horizontalPodAutoscalerName;

        public IReadOnlyList<ScaledObjectTrigger> Triggers { get; } = triggers;

        /// <summary><c>spec.idleReplicaCount</c>, when set (read from a cluster).</summary>
        public int? IdleReplicaCount { get; set; }

        /// <summary><c>spec.fallback</c>, when set (read from a cluster).</summary>
        public ScaledObjectFallback? Fallback { get; set; }

        /// <summary><c>spec.advanced.horizontalPodAutoscalerConfig.behavior</c>, when set (read from a cluster); null: the HPA's legacy rules.</summary>
        public HpaBehavior? Behavior { get; set; }

        /// <summary>Set on objects read from a cluster: metadata.creationTimestamp.</summary>
        public System.DateTimeOffset? CreationTimestamp { get; set; }

        /// <summary>Set on objects read from a cluster: the API server's version of the object.</summary>
        public string? ResourceVersion { get; set; }

        /// <summary>Set on objects read from a cluster: the Ready condition (True, False, Unknown).</summary>
        public string? Ready { get; set; }

        /// <summary>Set on objects read from a cluster: the Active condition.</summary>
        public string? Active { get; set; }

        /// <summary>Set on objects read from a cluster: the reason and message of a Ready condition that is not True.</summary>
        public string? Message { get; set; }

        /// <summary>The HPA KEDA will create for this object.</summary>
        public string EffectiveHorizontalPodAutoscalerName => HorizontalPodAutoscalerName ?? "keda-hpa-" + Name;

        /// <summary>Trigger types, comma-separated, for table views.</summary>
        public string TriggerTypes => string.Join(",", Triggers.Select(t => t.Type));
    }
}
