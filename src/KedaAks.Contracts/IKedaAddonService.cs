namespace KedaAks
{
    /// <summary>KEDA wherever it is installed: the AKS managed add-on on and off, the install mode, and restarting the operator where it runs.</summary>
    public interface IKedaAddonService
    {
        /// <summary>
        /// Turns the add-on on; unless <paramref name="force"/>, refuses (<c>KedaAlreadyInstalled</c>) while the cluster runs a Helm or manifest KEDA,
        /// looked up through <paramref name="connection"/> (null: ARM's credentials for the cluster).
        /// </summary>
        Task<AksCluster> EnableAsync(AksCluster? known, string? resourceId, string? resourceGroupName, string? name, ClusterConnection? connection, bool force, CallContext call);

        Task<AksCluster> DisableAsync(AksCluster? known, string? resourceId, string? resourceGroupName, string? name, CallContext call);

        /// <summary>How KEDA is (or will be) installed: Helm, AksAddon, Manifests or None.</summary>
        Task<string> InstallMethodAsync(ClusterConnection connection, AksCluster? cluster, CallContext call);

        /// <summary>
        /// Where a command works on KEDA's operator: for <paramref name="requested"/> Auto the install mode decided from ARM's flags (<paramref name="cluster"/>),
        /// else from the cluster (<paramref name="connection"/>; null or unreadable: a Helm install to come); the add-on's kube-system/keda-operator, or
        /// <paramref name="namespace"/>/<paramref name="serviceAccountName"/> for Helm.
        /// </summary>
        Task<OperatorLocation> LocateOperatorAsync(ClusterConnection? connection, AksCluster? cluster, string requested, string @namespace, string serviceAccountName,
            CallContext call);

        /// <summary>
        /// Restarts the keda-operator deployment where KEDA runs (<paramref name="namespace"/>, else the install mode's) as 'kubectl rollout restart' does,
        /// waits for the rollout and proves the workload identity injection; null under -WhatIf.
        /// </summary>
        Task<KedaInstallation?> RestartOperatorAsync(ClusterConnection connection, string? @namespace, TimeSpan timeout, CallContext call);
    }
}
