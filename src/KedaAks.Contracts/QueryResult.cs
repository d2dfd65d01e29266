namespace KedaAks
{
    /// <summary>What the query returned and what KEDA and the HPA would do with it.</summary>
    public sealed class QueryResult
    {
        public string? ScaledObjectName { get; set; }

        public int? TriggerIndex { get; set; }

        public string Query { get; set; } = string.Empty;

        public string RequestUri { get; set; } = string.Empty;

        public int? StatusCode { get; set; }

        /// <summary>vector, scalar, matrix or string, as the server said.</summary>
        public string? ResultType { get; set; }

        public int ElementCount { get; set; }

        /// <summary>The value KEDA would use (after its null/NaN rules); null when KEDA would fail.</summary>
        public double? Value { get; set; }

        /// <summary>value &gt; activationThreshold: KEDA scales from zero only when true.</summary>
        public bool? IsActive { get; set; }

        /// <summary>Replicas the HPA (and KEDA's activation) would aim for, clamped to min/max.</summary>
        public int? DesiredReplicas { get; set; }

        /// <summary>False when KEDA would report an error for this query.</summary>
        public bool Succeeded { get; set; }

        public string Message { get; set; } = string.Empty;

        /// <summary>What could bite later: an empty result KEDA turns into 0, a query that sums several clusters' series.</summary>
        public System.Collections.Generic.List<string> Warnings { get; set; } = new();

        /// <summary>The cause when KEDA would fail (e.g. PrometheusQueryMultipleElements).</summary>
        public Diagnosis? Diagnosis { get; set; }
    }
}
