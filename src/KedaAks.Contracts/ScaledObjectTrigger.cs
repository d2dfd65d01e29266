namespace KedaAks
{
    /// <summary>One entry of <c>spec.triggers</c>. Metadata values are strings, as KEDA's CRD requires.</summary>
    public sealed class ScaledObjectTrigger
    {
        public ScaledObjectTrigger(string type, string? name, string? metricType, IReadOnlyDictionary<string, string> metadata,
            TriggerAuthenticationReference? authenticationRef)
        {
            Type = type;
            Name = name;
            MetricType = metricType;
            Metadata = metadata;
            AuthenticationRef = authenticationRef;
        }

        public string Type { get; }

        public string? Name { get; }

        /// <summary><c>AverageValue</c> (KEDA's default when null) or <c>Value</c>.</summary>
        public string? MetricType { get; }

        public IReadOnlyDictionary<string, string> Metadata { get; }

        public TriggerAuthenticationReference? AuthenticationRef { get; }

        public override string ToString() => Type;
    }
}
