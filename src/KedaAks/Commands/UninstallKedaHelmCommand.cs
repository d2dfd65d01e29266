namespace KedaAks.Commands
{
    /// <summary>Removes KEDA's Helm release (helm uninstall). KEDA's CRDs go with it, and with them every ScaledObject and TriggerAuthentication.</summary>
    [Cmdlet(VerbsLifecycle.Uninstall, "KedaHelm", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, HelpUri = HelpLinks.Base + "Uninstall-KedaHelm.md")]
    [OutputType(typeof(void))]
    public sealed class UninstallKedaHelmCommand : ClusterCmdlet
    {
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string ReleaseName { get; set; } = "keda";

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(NamespaceCompleter))]
        public string Namespace { get; set; } = "keda";

        [Parameter]
        public string? HelmPath { get; set; }

        [Parameter]
        [ValidateRange(1, 86400)]
        public int Timeout { get; set; } = 300;

        private protected override void ProcessRecordCore()
        {
            ClusterConnection connection = Connection();
            if (!ShouldProcess($"Helm release '{Namespace}/{ReleaseName}' on cluster '{connection.Name}' (KEDA's CRDs, ScaledObjects and TriggerAuthentications go too)", "helm uninstall"))
            {
                return;
            }

            WriteWarning("Uninstalling KEDA removes its CRDs, and with them every ScaledObject, ScaledJob and TriggerAuthentication in the cluster; the workloads keep their current replica counts.");
            string? helmPath = HelmPath is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(HelmPath);
            bool removed = InvokeAsync(call => Engine.Helm.UninstallAsync(connection, ReleaseName, Namespace, helmPath, TimeSpan.FromSeconds(Timeout), call));
            if (!removed)
            {
                WriteVerbose($"There was no Helm release '{Namespace}/{ReleaseName}'; nothing to remove.");
            }
        }
    }
}
