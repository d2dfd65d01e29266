using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace KedaAks.Engine.Manifests
{
    /// <summary>
    /// The scaling parts of a ScaledObject's spec that objects read from a cluster carry (idleReplicaCount, fallback,
    /// advanced.horizontalPodAutoscalerConfig.behavior), rendered as KEDA's CRD spells them, so a read object applied again keeps them.
    /// </summary>
    internal static class ScalingSpecNodes
    {
        public static void Add(YamlMappingNode spec, ScaledObject so)
        {
            if (so.IdleReplicaCount is { } idle)
            {
                spec.Add("idleReplicaCount", Number(idle));
            }

            if (so.Fallback is { } fallback)
            {
                var node = new YamlMappingNode { { "failureThreshold", Number(fallback.FailureThreshold) }, { "replicas", Number(fallback.Replicas) } };
                if (fallback.Behavior != "static")
                {
                    node.Add("behavior", ManifestSerializer.Text(fallback.Behavior));
                }

                spec.Add("fallback", node);
            }
        }

        /// <summary>spec.advanced.horizontalPodAutoscalerConfig: the HPA's name and behavior; null when the object sets neither.</summary>
        public static YamlMappingNode? HpaConfig(ScaledObject so)
        {
            if (so.HorizontalPodAutoscalerName is null && so.Behavior is null)
            {
                return null;
            }

            var config = new YamlMappingNode();
            if (so.HorizontalPodAutoscalerName is { } name)
            {
                config.Add("name", ManifestSerializer.Text(name));
            }

            if (so.Behavior is { } behavior)
            {
                var node = new YamlMappingNode();
                AddRules(node, "scaleUp", behavior.ScaleUp);
                AddRules(node, "scaleDown", behavior.ScaleDown);
                config.Add("behavior", node);
            }

            return config;
        }

        private static void AddRules(YamlMappingNode behavior, string key, HpaScalingRules? rules)
        {
            if (rules is null)
            {
                return;
            }

            var node = new YamlMappingNode();
            if (rules.StabilizationWindowSeconds is { } window)
            {
                node.Add("stabilizationWindowSeconds", Number(window));
            }

            if (rules.SelectPolicy is { } select)
            {
                node.Add("selectPolicy", ManifestSerializer.Text(select));
            }

            if (rules.Policies is { } policies)
            {
                var list = new YamlSequenceNode();
                foreach (HpaScalingPolicy policy in policies)
                {
                    list.Add(new YamlMappingNode
                    {
                        { "type", ManifestSerializer.Text(policy.Type) }, { "value", Number(policy.Value) }, { "periodSeconds", Number(policy.PeriodSeconds) },
                    });
                }

                node.Add("policies", list);
            }

            if (rules.Tolerance is { } tolerance)
            {
                node.Add("tolerance", new YamlScalarNode(tolerance.ToString("0.###", CultureInfo.InvariantCulture)) { Style = ScalarStyle.DoubleQuoted });
            }

            behavior.Add(key, node);
        }

        private static YamlScalarNode Number(int value) => new(value.ToString(CultureInfo.InvariantCulture)) { Style = ScalarStyle.Plain };
    }
}
