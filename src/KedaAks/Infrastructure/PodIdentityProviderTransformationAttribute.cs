namespace KedaAks.Infrastructure
{
    /// <summary>Lets <c>-Provider</c> take KEDA's own spelling (<c>azure-workload</c>, <c>aws-eks</c>) as well as the enum names.</summary>
    internal sealed class PodIdentityProviderTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object value = inputData is PSObject psObject ? psObject.BaseObject : inputData;
            return value is string text && PodIdentityProviders.TryParse(text, out PodIdentityProvider provider) ? provider : inputData;
        }
    }
}
