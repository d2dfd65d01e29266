namespace KedaAks
{
    /// <summary>What Install-KedaHelm asks for.</summary>
    public sealed class HelmInstallRequest
    {
        public string ReleaseName { get; set; } = "keda";

        public string Namespace { get; set; } = "keda";

        public string ServiceAccountName { get; set; } = "keda-operator";

        public string ClientId { get; set; } = string.Empty;

        public string? TenantId { get; set; }

        /// <summary>Chart version (KEDA's chart and app versions are the same); null takes the chart's latest.</summary>
        public string? Version { get; set; }

        /// <summary>A local chart directory or .tgz.</summary>
        public string? ChartPath { get; set; }

        /// <summary>An https chart repository URL or an oci:// chart reference.</summary>
        public string Repository { get; set; } = "https://kedacore.github.io/charts";

        /// <summary>Extra values; dotted keys (a.b.c) nest.</summary>
        public IDictionary? Set { get; set; }

        public string? HelmPath { get; set; }

        public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);

        /// <summary>Go on past the azure (pod identity) TriggerAuthentication gate.</summary>
        public bool Force { get; set; }

        /// <summary>The subject the piped identity's federated credential names (system:serviceaccount:ns:sa); a different -Namespace/-ServiceAccountName is refused.</summary>
        public string? FederatedSubject { get; set; }

        /// <summary>Labels on the release (helm --labels); Install-KedaAksIntegration marks the releases it makes with them.</summary>
        public IDictionary<string, string>? ReleaseLabels { get; set; }

        /// <summary>The AKS cluster when the caller already read it (the add-on check then needs no ARM read of its own).</summary>
        public AksCluster? Cluster { get; set; }
    }
}
