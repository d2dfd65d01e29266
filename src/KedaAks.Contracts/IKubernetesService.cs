namespace KedaAks
{
    /// <summary>The cluster side: connection, service account, apply, read and delete of KEDA resources.</summary>
    public interface IKubernetesService
    {
        Task<ClusterConnection> ConnectAsync(ClusterTarget target, CallContext call);

        Task<ServiceAccount> NewServiceAccountAsync(ClusterConnection connection, ServiceAccount account, CallContext call);

        Task<IReadOnlyList<DeployOutcome>> DeployAsync(ClusterConnection connection, IReadOnlyList<DeployItem> items, DeployOptions options, CallContext call);

        /// <summary>
        /// Applies what <paramref name="choose"/> keeps of <paramref name="items"/> once <paramref name="connection"/> is made (the manifests are parsed
        /// meanwhile): one call for the connection and the apply, so both use one client and one TLS session. <paramref name="choose"/> runs on an
        /// engine thread; only the chosen items get an outcome.
        /// </summary>
        Task<IReadOnlyList<DeployOutcome>> DeployAsync(Task<ClusterConnection> connection, IReadOnlyList<DeployItem> items, DeployOptions options,
            Func<ClusterConnection, IReadOnlyList<DeployItem>, IReadOnlyList<DeployItem>> choose, CallContext call);

        /// <summary><paramref name="kind"/> is ScaledObject, TriggerAuthentication or ClusterTriggerAuthentication; a null namespace lists all namespaces.</summary>
        Task<IReadOnlyList<KedaResource>> GetAsync(ClusterConnection connection, string kind, string? @namespace, CallContext call);

        /// <summary>
        /// The KEDA operator pods' log lines, each diagnosed; repeated errors grouped (Count, Time, LastTime).
        /// <paramref name="request"/>'s namespace null searches keda, then kube-system (the AKS add-on).
        /// </summary>
        Task<IReadOnlyList<Diagnosis>> GetOperatorLogAsync(ClusterConnection connection, OperatorLogRequest request, CallContext call);

        /// <summary>
        /// False when there was nothing to delete. A TriggerAuthentication that ScaledObjects or ScaledJobs still use is refused
        /// (TriggerAuthenticationInUse) unless <paramref name="force"/>.
        /// </summary>
        Task<bool> RemoveAsync(ClusterConnection connection, string kind, string? @namespace, string name, CallContext call, bool force = false);
    }
}
