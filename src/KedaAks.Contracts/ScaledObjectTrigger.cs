namespace KedaAks
{
    /// <summary>One entry of <c>spec.triggers</c>. Metadata values are strings, as KEDA's CRD requires.</summary>
    public sealed class ScaledObjectTrigger(string type, string? name, string? metricType, IReadOnlyDictionary<string, string> metadata,
        TriggerAuthenticationReference? authenticationRef)
    {
        public string Type { get; } = type;

        public string? Name { get; } = name;

        /// <summary><c>AverageValue</c> (KEDA's default when null) or <c>Value</c>.</summary>
        public string? MetricType { get; } = metricType;

        public IReadOnlyDictionary<string, string> Metadata { get; } = metadata;

        public TriggerAuthenticationReference? AuthenticationRef { get; } = authenticationRef;

        public override string ToString() => Type;
    }
}
