namespace KedaAks.Commands
{
    /// <summary>
    /// Restarts the KEDA operator deployment where KEDA runs (kube-system for the AKS add-on) as 'kubectl rollout restart' does, waits for the
    /// rollout and proves the workload identity injection (AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_FEDERATED_TOKEN_FILE). Outputs the installation.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Restart, "KedaOperator", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpLinks.Base + "Restart-KedaOperator.md")]
    [OutputType(typeof(KedaInstallation))]
    public sealed class RestartKedaOperatorCommand : ClusterCmdlet
    {
        /// <summary>Where KEDA runs; by default the install mode says (kube-system for the add-on, else the Helm release's or manifests' namespace).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string? Namespace { get; set; }

        [Parameter]
        [ValidateRange(1, 86400)]
        public int Timeout { get; set; } = 300;

        private protected override void ProcessRecordCore()
        {
            ClusterConnection connection = Connection();
            KedaInstallation? installation = InvokeAsync(call => Engine.Addon.RestartOperatorAsync(connection, Namespace, TimeSpan.FromSeconds(Timeout), call));
            if (installation is not null)
            {
                WriteObject(installation);
            }
        }
    }
}
