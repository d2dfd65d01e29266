namespace KedaAks
{
    /// <summary>How <c>Deploy-KedaResource</c> applies: a server dry run, taking over fields other managers own, parallelism.</summary>
    public sealed class DeployOptions
    {
        public bool DryRun { get; set; }

        public bool Force { get; set; }

        public int ThrottleLimit { get; set; } = 8;
    }
}
