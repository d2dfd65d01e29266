namespace KedaAks
{
    /// <summary>The engine, as the cmdlets see it. Implemented in KedaAks.Engine, loaded into its own load context.</summary>
    public interface IKedaAksEngine
    {
        IResourceBuilder Resources { get; }

        IManifestSerializer Manifests { get; }

        IAzureService Azure { get; }

        IKubernetesService Kubernetes { get; }

        IDiagnostics Diagnostics { get; }

        IPrometheusQueries Prometheus { get; }

        IScalingReplay Replay { get; }

        IWorkloadIdentityProbe WorkloadIdentity { get; }

        IIntegrationChecks Integration { get; }

        IHelmService Helm { get; }

        ICompletionSource Completions { get; }

        IKedaAddonService Addon { get; }

        /// <summary>The whole article in one command: Install-/Uninstall-KedaAksIntegration, Get-KedaIntegrationPlan.</summary>
        IAksIntegration AksIntegration { get; }

        /// <summary>Export-KedaGitOpsBundle: the integration as GitOps files.</summary>
        IGitOpsExport GitOps { get; }
    }
}
