namespace KedaAks
{
    /// <summary>Which operator log lines <c>Get-KedaOperatorLog</c> reads.</summary>
    public sealed class OperatorLogRequest
    {
        /// <summary>Null: keda, then kube-system (the AKS add-on).</summary>
        public string? Namespace { get; set; }

        public TimeSpan? Since { get; set; }

        public int? Tail { get; set; }

        /// <summary>Also the lines that are not errors.</summary>
        public bool IncludeInfo { get; set; }
    }
}
