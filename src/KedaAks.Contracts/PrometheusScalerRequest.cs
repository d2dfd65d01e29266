namespace KedaAks
{
    /// <summary>Everything <c>New-KedaPrometheusScaler</c> was given. Named values win over <see cref="Metadata"/>.</summary>
    public sealed class PrometheusScalerRequest
    {
        public string? Name { get; set; }

        public string? Namespace { get; set; }

        public string? TargetName { get; set; }

        public string? TargetKind { get; set; }

        public string? TargetApiVersion { get; set; }

        public string? ServerAddress { get; set; }

        public MonitorWorkspace? MonitorWorkspace { get; set; }

        public string? Query { get; set; }

        public string? Threshold { get; set; }

        public string? ActivationThreshold { get; set; }

        public string? MetricName { get; set; }

        public string? MetricType { get; set; }

        public int? MinReplicaCount { get; set; }

        public int? MaxReplicaCount { get; set; }

        public int? PollingInterval { get; set; }

        public int? CooldownPeriod { get; set; }

        public string? HorizontalPodAutoscalerName { get; set; }

        public TriggerAuthenticationReference? TriggerAuthentication { get; set; }

        /// <summary>Raw trigger metadata, keys as KEDA spells them; values already converted to invariant strings (null kept, to be refused).</summary>
        public IDictionary<string, string?>? Metadata { get; set; }
    }
}
