using System.ComponentModel;

namespace KedaAks
{
    /// <summary>KEDA's <c>spec.podIdentity.provider</c> values. <see cref="Azure"/> (AAD Pod Identity) exists only so it can be refused with a reason: KEDA 2.15 removed it.
    /// It is marked <see cref="EditorBrowsableAttribute"/> Never, which the help generator (tools/MamlHelp.ps1) reads as "do not offer".</summary>
    public enum PodIdentityProvider
    {
        AzureWorkload,
        Gcp,
        Aws,
        AwsEks,
        None,
        /// <summary>Refused when given (KEDA 2.15 removed AAD Pod Identity); not offered in help.</summary>
        [EditorBrowsable(EditorBrowsableState.Never)]
        Azure,
    }
}
