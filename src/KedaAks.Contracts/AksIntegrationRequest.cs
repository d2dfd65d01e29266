namespace KedaAks
{
    /// <summary>What Install-KedaAksIntegration, Get-KedaIntegrationPlan, Uninstall-KedaAksIntegration and Export-KedaGitOpsBundle are asked for; the defaults are the article's.</summary>
    public sealed class AksIntegrationRequest
    {
        public AksCluster? Cluster { get; set; }

        public string? ClusterResourceId { get; set; }

        public string? ResourceGroupName { get; set; }

        public string? ClusterName { get; set; }

        /// <summary>Reach the API server through a kubeconfig instead of ARM's credentials (null: ARM's, in memory).</summary>
        public IReadOnlyList<string>? KubeconfigPath { get; set; }

        public string? Context { get; set; }

        public bool Admin { get; set; }

        /// <summary>Workspaces that get Monitoring Data Reader: resource ids or names.</summary>
        public IReadOnlyList<string> MonitorWorkspaces { get; set; } = Array.Empty<string>();

        public string IdentityName { get; set; } = "keda-int-identity";

        public string? IdentityResourceGroupName { get; set; }

        public string? Location { get; set; }

        public string FederatedCredentialName { get; set; } = "kedaFedIdentity";

        public string Audience { get; set; } = "api://AzureADTokenExchange";

        public string Namespace { get; set; } = "keda";

        public string ServiceAccountName { get; set; } = "keda-operator";

        /// <summary>Auto, Helm or AksAddon.</summary>
        public string InstallMethod { get; set; } = "Auto";

        public string ReleaseName { get; set; } = "keda";

        /// <summary>Chart version; null takes the chart's latest.</summary>
        public string? Version { get; set; }

        public string? ChartPath { get; set; }

        public string Repository { get; set; } = "https://kedacore.github.io/charts";

        public IDictionary? Set { get; set; }

        public string? HelmPath { get; set; }

        /// <summary>For each wait: the cluster update, the rollout, the federation proof.</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(10);

        /// <summary>Skip Wait-KedaWorkloadIdentity's proof (e.g. when the API server's TokenRequest is not allowed).</summary>
        public bool SkipProof { get; set; }

        /// <summary>Go on past Install-KedaHelm's pod-identity gate.</summary>
        public bool Force { get; set; }
    }
}
