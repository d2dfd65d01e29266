namespace KedaAks
{
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

        /// <summary>An application (client) id the text names, e.g. the one Entra does not know (AADSTS700016).</summary>
        public string? ApplicationId { get; set; }

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
}
