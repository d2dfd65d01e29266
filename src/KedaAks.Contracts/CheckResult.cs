namespace KedaAks
{
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
}
