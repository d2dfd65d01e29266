namespace KedaAks
{
    /// <summary>An Azure Monitor workspace (<c>Microsoft.Monitor/accounts</c>); its query endpoint is a prometheus trigger's <c>serverAddress</c>.</summary>
    public sealed class MonitorWorkspace(string name, string? resourceId, string? location, string? prometheusQueryEndpoint)
    {
        public string Name { get; } = name;

        public string? ResourceId { get; } = resourceId;

        public string? Location { get; } = location;

        /// <summary><c>properties.metrics.prometheusQueryEndpoint</c>, e.g. https://ws-1234.eastus.prometheus.monitor.azure.com.</summary>
        public string? PrometheusQueryEndpoint { get; } = prometheusQueryEndpoint;

        public override string ToString() => Name;
    }
}
