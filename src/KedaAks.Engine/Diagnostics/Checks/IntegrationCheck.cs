namespace KedaAks.Engine.Diagnostics.Checks
{
    /// <summary>
    /// One check of Test-KedaIntegration: its name, whether it needs the cluster to answer and which operator-log causes
    /// its failure already explains (each check passes them to this constructor), and the check itself, which reads shared
    /// facts from the <see cref="CheckContext"/>.
    /// </summary>
    internal abstract class IntegrationCheck(string name, bool needsCluster = false, IReadOnlyList<DiagnosisCode>? explains = null)
    {
        public string Name { get; } = name;

        /// <summary>Reads the cluster: Skipped without a connection, and failed (or skipped) when the API server does not answer.</summary>
        public bool NeedsCluster { get; } = needsCluster;

        /// <summary>Operator-log causes that a failure of this check already reports (so one cause fails once).</summary>
        public IReadOnlyList<DiagnosisCode> Explains { get; } = explains ?? Array.Empty<DiagnosisCode>();

        public abstract Task<CheckResult> RunAsync(CheckContext context);

        protected static CheckResult Pass(string message) => new() { Status = CheckStatus.Pass, Message = message };

        protected static CheckResult Skip(string reason) => new() { Status = CheckStatus.Skipped, Message = reason };

        protected static CheckResult Warn(string message, string? remedy) => new() { Status = CheckStatus.Warning, Message = message, Remedy = remedy };

        protected static CheckResult Fail(string message, string? remedy, Diagnosis? diagnosis = null) =>
            new() { Status = CheckStatus.Fail, Message = message, Remedy = remedy, Diagnosis = diagnosis };
    }
}
