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
}
