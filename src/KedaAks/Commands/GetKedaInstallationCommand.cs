namespace KedaAks.Commands
{
    /// <summary>Finds KEDA in the cluster however it was installed (Helm release, AKS add-on, plain manifests): version, method, health, workload identity.</summary>
    [Cmdlet(VerbsCommon.Get, "KedaInstallation", HelpUri = HelpLinks.Base + "Get-KedaInstallation.md")]
    [OutputType(typeof(KedaInstallation))]
    public sealed class GetKedaInstallationCommand : ClusterCmdlet
    {
        private protected override void ProcessRecordCore()
        {
            ClusterConnection connection = Connection();
            foreach (KedaInstallation installation in InvokeAsync(call => Engine.Helm.GetInstallationsAsync(connection, call)))
            {
                WriteObject(installation);
            }
        }
    }
}
