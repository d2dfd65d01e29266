namespace KedaAks
{
    /// <summary>What a step of the integration plan would do.</summary>
    public enum IntegrationAction
    {
        /// <summary>Already as asked: nothing is written.</summary>
        NoChange,

        Create,

        Update,

        Remove,

        /// <summary>Depends on a value an earlier step only learns when it runs (e.g. the issuer the cluster update assigns).</summary>
        Unknown,
    }
}
