using System;
using System.Collections.Generic;

namespace KedaAks
{
    /// <summary>The stable set of causes Resolve-KedaError names (documented in about_KedaAks).</summary>
    public enum DiagnosisCode
    {
        Unknown,
        FederatedCredentialMismatch,
        AssertionExpired,
        IdentityNotFound,
        EntraAuthenticationFailed,
        EntraUnreachable,
        WorkloadIdentityNotInjected,
        MonitoringDataReaderMissing,
        PrometheusQueryFailed,
        PrometheusQueryMultipleElements,
        PrometheusQueryEmpty,
        PrometheusQueryNotANumber,
        PrometheusMetadataInvalid,
        TriggerAuthenticationInvalid,
        TriggerMetadataNotString,
        HpaTargetNotPositive,
        PodIdentityProviderUnsupported,
        KedaCrdOutdated,
        MetricsApiUnavailable,
        AdmissionWebhookDenied,
    }

    /// <summary>What an error text means: the cause, the fix, and what the text reveals.</summary>
    public sealed class Diagnosis
    {
        public DiagnosisCode Code { get; set; }

        public string Summary { get; set; } = string.Empty;

        public string Cause { get; set; } = string.Empty;

        public string Remedy { get; set; } = string.Empty;

        /// <summary>The assertion's issuer, as Entra quoted it.</summary>
        public string? Issuer { get; set; }

        public string? Subject { get; set; }

        public string? Audience { get; set; }

        /// <summary>An object (principal) id or client id the text names.</summary>
        public string? PrincipalId { get; set; }

        public string? Scope { get; set; }

        public int? StatusCode { get; set; }

        /// <summary>Entra's error number, e.g. "70021".</summary>
        public string? AadstsCode { get; set; }

        public string? Query { get; set; }

        public string? Namespace { get; set; }

        /// <summary>The KEDA object the log line is about (ScaledObject or TriggerAuthentication name).</summary>
        public string? Name { get; set; }

        public DateTimeOffset? Time { get; set; }

        /// <summary>The error text itself (unescaped, from the log line's error field when there is one).</summary>
        public string Message { get; set; } = string.Empty;

        /// <summary>Set by Get-KedaOperatorLog when the same error repeats: how often, first and last time.</summary>
        public int Count { get; set; } = 1;

        public DateTimeOffset? LastTime { get; set; }

        /// <summary>Set by Get-KedaOperatorLog: the pod the line came from.</summary>
        public string? Pod { get; set; }

        /// <summary>Set by Get-KedaOperatorLog: the log level (error, info...).</summary>
        public string? Level { get; set; }

        public override string ToString() => $"{Code}: {Summary}";
    }

    public enum CheckStatus
    {
        Pass,
        Warning,
        Fail,
        Skipped,
    }

    /// <summary>One check of Test-KedaIntegration.</summary>
    public sealed class CheckResult
    {
        public string Check { get; set; } = string.Empty;

        public CheckStatus Status { get; set; }

        public string Message { get; set; } = string.Empty;

        public string? Remedy { get; set; }

        /// <summary>The diagnosis behind a failure, when one applies.</summary>
        public Diagnosis? Diagnosis { get; set; }

        public override string ToString() => $"{Check}: {Status}";
    }

    /// <summary>What Test-KedaIntegration checks: any part may be missing, and its checks are then skipped.</summary>
    public sealed class IntegrationRequest
    {
        public AksCluster? Cluster { get; set; }

        public ClusterConnection? Connection { get; set; }

        public WorkloadIdentity? Identity { get; set; }

        public string? WorkspaceId { get; set; }

        public string Namespace { get; set; } = "keda";

        public string ServiceAccountName { get; set; } = "keda-operator";

        public TimeSpan LogWindow { get; set; } = TimeSpan.FromMinutes(15);
    }

    /// <summary>Runs every check of the integration, read-only.</summary>
    public interface IIntegrationChecks
    {
        System.Threading.Tasks.Task<IReadOnlyList<CheckResult>> RunAsync(IntegrationRequest request, AzureSettings azure, IKedaAksHost host, System.Threading.CancellationToken cancellationToken);
    }

    /// <summary>Diagnosis of KEDA, HPA, webhook and Entra error text.</summary>
    public interface IDiagnostics
    {
        Diagnosis Resolve(string text);
    }
}
