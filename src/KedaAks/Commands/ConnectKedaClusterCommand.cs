namespace KedaAks.Commands
{
    /// <summary>Sets this runspace's Kubernetes connection: an AKS cluster through ARM (no kubelogin), or a kubeconfig as kubectl reads it.</summary>
    [Cmdlet(VerbsCommunications.Connect, "KedaCluster", HelpUri = HelpLinks.Base + "Connect-KedaCluster.md")]
    [OutputType(typeof(ClusterConnection))]
    public sealed class ConnectKedaClusterCommand : ClusterCmdlet
    {
        [Parameter]
        public string? OutFile { get; set; }

        private protected override void ProcessRecordCore()
        {
            ClusterTarget target = Target;
            target.OutFile = OutFile is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(OutFile);
            if (target.OutFile is not null && !target.UsesArm)
            {
                throw new KedaAksException("OutFileNeedsAksCluster", KedaErrorCategory.InvalidArgument, "-OutFile writes the kubeconfig ARM returns; no AKS cluster was named.", OutFile,
                    "Pipe a cluster from Get-KedaAksCluster, or pass -ResourceGroupName and -ClusterName.");
            }

            ClusterConnection connection = InvokeAsync(call => Engine.Kubernetes.ConnectAsync(target, call));
            RunspaceDefaults.Cluster = connection;
            WriteObject(connection);
        }
    }
}
