namespace KedaAks
{
    /// <summary>How <c>Deploy-KedaResource</c> applies: a server dry run, taking over fields other managers own, parallelism.</summary>
    public sealed class DeployOptions
    {
        public bool DryRun { get; set; }

        public bool Force { get; set; }

        public int ThrottleLimit { get; set; } = 8;

        /// <summary>A ScaledObject whose target another HPA scales takes that HPA over (KEDA's transfer-hpa-ownership) instead of being refused.</summary>
        public bool TakeOverHpa { get; set; }
    }
}
