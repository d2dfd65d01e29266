namespace KedaAks
{
    /// <summary>KEDA's <c>spec.podIdentity.provider</c> values. <see cref="Azure"/> (AAD Pod Identity) exists only so it can be refused with a reason: KEDA 2.15 removed it.</summary>
    public enum PodIdentityProvider
    {
        AzureWorkload,
        Gcp,
        Aws,
        AwsEks,
        None,
        Azure,
    }
}
