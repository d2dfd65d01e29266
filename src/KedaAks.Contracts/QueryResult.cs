using System;
using System.Collections.Generic;

namespace KedaAks
{
    /// <summary>A prometheus trigger's query, run as KEDA runs it.</summary>
    public sealed class PrometheusQueryRequest
    {
        public string ServerAddress { get; set; } = string.Empty;

        public string Query { get; set; } = string.Empty;

        /// <summary>The evaluation time; KEDA uses "now".</summary>
        public DateTimeOffset? Time { get; set; }

        public string? Threshold { get; set; }

        public string? ActivationThreshold { get; set; }

        /// <summary>AverageValue (KEDA's default) or Value.</summary>
        public string? MetricType { get; set; }

        public int MinReplicaCount { get; set; }

        public int MaxReplicaCount { get; set; } = 100;

        public int? CurrentReplicas { get; set; }

        public bool IgnoreNullValues { get; set; } = true;

        /// <summary>KEDA's default HTTP timeout is 3 s (KEDA_HTTP_DEFAULT_TIMEOUT).</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(3);

        public IDictionary<string, string> CustomHeaders { get; set; } = new Dictionary<string, string>();

        public IDictionary<string, string> QueryParameters { get; set; } = new Dictionary<string, string>();

        /// <summary>metadata namespace (Thanos/Cortex tenancy), appended as &amp;namespace=.</summary>
        public string? Namespace { get; set; }

        /// <summary>metadata cloud (AzurePublicCloud, AzureUSGovernmentCloud, AzureChinaCloud, Private).</summary>
        public string? Cloud { get; set; }

        public string? AzureManagedPrometheusResourceUrl { get; set; }

        /// <summary>Query as KEDA's own identity: this identity's service-account token exchanged at Entra (needs <see cref="Connection"/>).</summary>
        public WorkloadIdentity? AsWorkloadIdentity { get; set; }

        public ClusterConnection? Connection { get; set; }

        /// <summary>The ScaledObject and trigger index the query came from, when it came from one.</summary>
        public string? ScaledObjectName { get; set; }

        public int? TriggerIndex { get; set; }
    }

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

        /// <summary>The cause when KEDA would fail (e.g. PrometheusQueryMultipleElements).</summary>
        public Diagnosis? Diagnosis { get; set; }
    }

    /// <summary>Runs prometheus triggers' queries the way KEDA does.</summary>
    public interface IPrometheusQueries
    {
        System.Threading.Tasks.Task<QueryResult> RunAsync(PrometheusQueryRequest request, AzureSettings azure, IKedaAksHost host, System.Threading.CancellationToken cancellationToken);

        /// <summary>One request per prometheus trigger of a ScaledObject, read from its metadata as KEDA reads it.</summary>
        IReadOnlyList<PrometheusQueryRequest> FromScaledObject(ScaledObject scaledObject);
    }
}

namespace KedaAks
{
    /// <summary>Proof that KEDA's identity works end to end: service-account token, Entra exchange, workspace query.</summary>
    public sealed class WorkloadIdentityProof
    {
        public string IdentityName { get; set; } = string.Empty;

        public string? ClientId { get; set; }

        public string ServiceAccount { get; set; } = string.Empty;

        /// <summary>The issuer, subject and audience of the service-account token Entra was shown.</summary>
        public string? Issuer { get; set; }

        public string? Subject { get; set; }

        public string? Audience { get; set; }

        public bool TokenExchanged { get; set; }

        public int ExchangeAttempts { get; set; }

        /// <summary>How long Entra took to accept the federated credential.</summary>
        public System.TimeSpan? ExchangeAfter { get; set; }

        public string? WorkspaceEndpoint { get; set; }

        public bool? QuerySucceeded { get; set; }

        public int? QueryStatusCode { get; set; }

        public System.TimeSpan Elapsed { get; set; }

        public string Message { get; set; } = string.Empty;
    }

    /// <summary>Proves KEDA's workload identity before KEDA needs it.</summary>
    public interface IWorkloadIdentityProbe
    {
        System.Threading.Tasks.Task<WorkloadIdentityProof> WaitAsync(ClusterConnection connection, WorkloadIdentity identity, string? workspace, System.TimeSpan timeout,
            System.TimeSpan retryInterval, AzureSettings azure, IKedaAksHost host, System.Threading.CancellationToken cancellationToken);
    }
}
