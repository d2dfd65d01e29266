namespace KedaAks.Engine.Diagnostics
{
    /// <summary>Families of diagnosis codes that callers treat alike.</summary>
    internal static class DiagnosisCodes
    {
        /// <summary>
        /// Entra found no federated credential matching the token: the generic AADSTS70021 and the issuer, audience and
        /// subject forms (700211, 700212, 700213/7002138). All of them are also what Entra answers while a new credential
        /// propagates, so they are retried and compared with the credential the same way.
        /// </summary>
        public static IReadOnlyList<DiagnosisCode> FederationMismatch { get; } = new[]
        {
            DiagnosisCode.FederatedCredentialMismatch,
            DiagnosisCode.FederatedIssuerMismatch,
            DiagnosisCode.FederatedAudienceMismatch,
            DiagnosisCode.FederatedSubjectMismatch,
        };

        public static bool IsFederationMismatch(DiagnosisCode code) => Array.IndexOf((DiagnosisCode[])FederationMismatch, code) >= 0;
    }
}
