namespace KedaAks.Commands
{
    /// <summary>
    /// Installs or upgrades KEDA with Helm (helm upgrade --install --wait), with the workload identity values in the
    /// layout the chart version expects, then proves the deployments are available and the operator pod got the
    /// workload identity injection.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Install, "KedaHelm", DefaultParameterSetName = FromRepository, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium,
        HelpUri = HelpLinks.Base + "Install-KedaHelm.md")]
    [OutputType(typeof(KedaInstallation))]
    [UsesParameters(typeof(HelmReleaseParameters), typeof(ChartParameters))]
    public sealed partial class InstallKedaHelmCommand : ClusterCmdlet
    {
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string ClientId { get; set; } = string.Empty;

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string ServiceAccountName { get; set; } = "keda-operator";

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("ServiceAccountNamespace")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completers.NamespaceCompleter))]
        public string Namespace { get; set; } = "keda";

        [Parameter(ParameterSetName = FromRepository)]
        [ValidateNotNullOrEmpty]
        public string Repository { get; set; } = "https://kedacore.github.io/charts";

        [Parameter]
        public string? HelmPath { get; set; }

        /// <summary>Seconds to wait for the deployments (helm --wait --timeout).</summary>
        [Parameter]
        [ValidateRange(1, 86400)]
        public int Timeout { get; set; } = 300;

        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>The subject the identity is federated for (binds from a piped WorkloadIdentity's Subject); -Namespace/-ServiceAccountName must match it.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Subject")]
        public string? FederatedSubject { get; set; }

        private protected override void ProcessRecordCore()
        {
            ClusterConnection connection = Connection();
            var request = new HelmInstallRequest
            {
                ReleaseName = ReleaseName, Namespace = Namespace, ServiceAccountName = ServiceAccountName, ClientId = ClientId, TenantId = TenantId,
                Version = Version, Repository = Repository, Set = Set is null ? null : PlainValues.Of(Set), Timeout = TimeSpan.FromSeconds(Timeout), Force = Force.IsPresent,
                FederatedSubject = FederatedSubject,
                ChartPath = ParameterSetName == FromPath ? SessionState.Path.GetUnresolvedProviderPathFromPSPath(ChartPath) : null,
                HelmPath = HelmPath is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(HelmPath),
            };
            // The engine reads helm, the chart and the cluster first, then asks ShouldProcess with the chart version, value layout and values:
            // -WhatIf shows the real plan, and fails as the real run would when helm or the chart cannot be had.
            if (InvokeAsync(call => Engine.Helm.InstallAsync(connection, request, call)) is { } installation)
            {
                WriteObject(installation);
            }
        }
    }
}
