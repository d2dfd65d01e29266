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

        // Appended (project issue #13); existing members keep their values.
        ScaleTargetHasHpa,
        FederatedIssuerMismatch,
        FederatedAudienceMismatch,
        FederatedSubjectMismatch,
        NoFederatedCredentials,
        PrometheusUnreachable,
    }
}
