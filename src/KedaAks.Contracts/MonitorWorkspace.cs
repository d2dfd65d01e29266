namespace KedaAks
{
    /// <summary>An Azure Monitor workspace (<c>Microsoft.Monitor/accounts</c>); its query endpoint is a prometheus trigger's <c>serverAddress</c>.</summary>
    public sealed class MonitorWorkspace
    {
        public MonitorWorkspace(string name, string? resourceId, string? location, string? prometheusQueryEndpoint)
        {
            Name = name;
            ResourceId = resourceId;
            Location = location;
            PrometheusQueryEndpoint = prometheusQueryEndpoint;
        }

        public string Name { get; }

        public string? ResourceId { get; }

        public string? Location { get; }

        /// <summary><c>properties.metrics.prometheusQueryEndpoint</c>, e.g. https://ws-1234.eastus.prometheus.monitor.azure.com.</summary>
        public string? PrometheusQueryEndpoint { get; }

        public override string ToString() => Name;
    }
}
