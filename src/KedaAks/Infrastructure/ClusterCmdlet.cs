namespace KedaAks.Infrastructure
{
    /// <summary>
    /// Base of cmdlets that talk to a cluster. The cluster comes, in this order, from: an AKS cluster named here
    /// (-Cluster, -ResourceGroupName with -ClusterName, or -ClusterResourceId; credentials from ARM, in memory),
    /// -KubeconfigPath/-Context, the runspace's Connect-KedaCluster, or KUBECONFIG / ~/.kube/config as kubectl does.
    /// </summary>
    [UsesParameters(typeof(KubeconfigParameters))]
    public abstract partial class ClusterCmdlet : ClusterReferenceCmdlet
    {
        /// <summary>The Entra tenant; binds by property name, so a piped WorkloadIdentity brings its tenant (New-KedaServiceAccount annotates it).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? TenantId { get; set; }

        private protected override string? TenantIdValue => TenantId;

        [Parameter(ValueFromPipeline = true)]
        public AksCluster? Cluster { get; set; }

        private protected ClusterTarget Target => new()
        {
            Cluster = Cluster,
            ClusterResourceId = ClusterResourceId,
            ResourceGroupName = ResourceGroupName,
            ClusterName = ClusterName,
            Admin = Admin.IsPresent,
            KubeconfigPath = KubeconfigPath is null ? null : System.Array.ConvertAll(KubeconfigPath, p => SessionState.Path.GetUnresolvedProviderPathFromPSPath(p)),
            Context = Context,
        };

        /// <summary>The connection this call uses (see the class summary for the order).</summary>
        private protected ClusterConnection Connection()
        {
            (ClusterTarget Target, ClusterConnection? Connected) choice = ConnectionChoice();
            return choice.Connected ?? InvokeAsync(call => ConnectingAsync(choice, call));
        }

        /// <summary>
        /// The connection <paramref name="choice"/> names, made inside an engine call that goes on to use it: the connection's proof and that work then
        /// share one client (and TLS session).
        /// </summary>
        private protected Task<ClusterConnection> ConnectingAsync((ClusterTarget Target, ClusterConnection? Connected) choice, CallContext call) =>
            choice.Connected is { } connected ? Task.FromResult(connected) : Engine.Kubernetes.ConnectAsync(choice.Target, call);

        /// <summary>
        /// What <see cref="Connection"/> connects to, decided on the pipeline thread (typed parameters, the runspace's connection) so the connecting can
        /// run elsewhere: the target, or the runspace's Connect-KedaCluster connection when nothing is named.
        /// </summary>
        private protected (ClusterTarget Target, ClusterConnection? Connected) ConnectionChoice()
        {
            ClusterTarget target = Target;
            if (target.UsesArm && (target.KubeconfigPath is not null || target.Context is not null)
                && !Typed(nameof(Cluster)) && !Typed(nameof(ClusterName)) && !Typed(nameof(ClusterResourceId)))
            {
                WriteVerbose($"Using the kubeconfig named on the command line, not the cluster bound from the pipeline ({target.Cluster?.ResourceId ?? target.ClusterResourceId}).");
                target.Cluster = null;
                target.ClusterResourceId = null;
            }

            if (target.UsesArm && (target.KubeconfigPath is not null || target.Context is not null))
            {
                throw new KedaAksException("AmbiguousCluster", KedaErrorCategory.InvalidArgument, "Both an AKS cluster and a kubeconfig were named.", null,
                    "Use either -Cluster/-ClusterName/-ClusterResourceId (through Azure) or -KubeconfigPath/-Context.");
            }

            return (target, target.IsEmpty ? RunspaceDefaults.Cluster : null);
        }
    }
}
