// Parameters that cmdlets of different bases share, each declared once here. C# has one base class, and a base common to these
// cmdlets would give some of them parameters they must not have, so a cmdlet (a partial class) names the groups it takes in
// [UsesParameters(typeof(...))] and src/KedaAks.Generators copies their properties (attributes, doc comments, initializers) and
// constants into it, after its own parameters. The classes below are never instantiated: PowerShell sees the cmdlets' copies.
namespace KedaAks.Infrastructure
{
    /// <summary>The identity's name and resource group (WorkloadIdentityCmdlet, Export-KedaGitOpsBundle).</summary>
    [ParameterGroup]
    internal abstract class IdentityNameParameters
    {
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string IdentityName { get; set; } = "keda-int-identity";

        [Parameter]
        [ArgumentCompleter(typeof(ResourceGroupCompleter))]
        public string? IdentityResourceGroupName { get; set; }
    }

    /// <summary>KEDA's service account, the one the identity is federated for (WorkloadIdentityCmdlet, Export-KedaGitOpsBundle, Test-KedaIntegration).</summary>
    [ParameterGroup]
    internal abstract class ServiceAccountNameParameter
    {
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string ServiceAccountName { get; set; } = "keda-operator";
    }

    /// <summary>How KEDA is or will be installed (WorkloadIdentityCmdlet, Export-KedaGitOpsBundle, Test-KedaIntegration, New-KedaServiceAccount).</summary>
    [ParameterGroup]
    internal abstract class InstallMethodParameter
    {
        /// <summary>
        /// Auto: as the cluster says (the add-on's kube-system/keda-operator on an add-on or AKS Automatic cluster, else the namespace and service
        /// account named here); Helm: the ones named here; AksAddon: the add-on's always.
        /// </summary>
        [Parameter]
        [ValidateSet("Auto", "Helm", "AksAddon")]
        public string InstallMethod { get; set; } = "Auto";
    }

    /// <summary>The namespace KEDA runs in with Helm, completed from the cluster (IntegrationCmdlet, Test-KedaIntegration).</summary>
    [ParameterGroup]
    internal abstract class KedaNamespaceParameter
    {
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(NamespaceCompleter))]
        public string Namespace { get; set; } = "keda";
    }

    /// <summary>The Helm release and its values (IntegrationCmdlet, Install-KedaHelm, Export-KedaGitOpsBundle).</summary>
    [ParameterGroup]
    internal abstract class HelmReleaseParameters
    {
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string ReleaseName { get; set; } = "keda";

        [Parameter]
        public Hashtable? Set { get; set; }
    }

    /// <summary>
    /// The chart: a version of -Repository's (the Repository set), or a local chart (the ChartPath set), with the two sets' names
    /// (Install-KedaHelm, Export-KedaGitOpsBundle; each declares its own -Repository, which the sets allow differently).
    /// </summary>
    [ParameterGroup]
    internal abstract class ChartParameters
    {
        private const string FromRepository = "Repository";
        private const string FromPath = "ChartPath";

        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ChartVersionCompleter))]
        public string? Version { get; set; }

        /// <summary>A local chart (directory or .tgz); Export-KedaGitOpsBundle reads it for the version and value layout, and the bundle still installs from -Repository.</summary>
        [Parameter(Mandatory = true, ParameterSetName = FromPath)]
        [ValidateNotNullOrEmpty]
        public string ChartPath { get; set; } = string.Empty;
    }

    /// <summary>Reaching the API server through a kubeconfig, or with the cluster's admin credentials (ClusterCmdlet, IntegrationCmdlet).</summary>
    [ParameterGroup]
    internal abstract class KubeconfigParameters
    {
        [Parameter]
        public SwitchParameter Admin { get; set; }

        [Parameter]
        public string[]? KubeconfigPath { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(KubeContextCompleter))]
        public string? Context { get; set; }
    }

    /// <summary>Piped clusters worked on in parallel by <see cref="ClusterFleet{TWork, TResult}"/> (Install-KedaAksIntegration, Test-KedaIntegration).</summary>
    [ParameterGroup]
    internal abstract class ThrottleLimitParameter
    {
        /// <summary>How many piped clusters are worked on at once; 1 (the default) takes each as it arrives. A failure on one cluster is reported for it and the others go on.</summary>
        [Parameter]
        [ValidateRange(1, ClusterFleet.MaxThrottleLimit)]
        public int ThrottleLimit { get; set; } = 1;
    }
}
