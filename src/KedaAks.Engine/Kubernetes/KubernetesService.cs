namespace KedaAks.Engine.Kubernetes
{
    /// <summary>
    /// The cluster side of the article (steps 8, 9, 13): connections, KEDA's service account, KEDA resources applied
    /// with server-side apply (the <see cref="ResourceApplier"/>), read and deleted, and the operator's log. Every
    /// request goes through the <see cref="IKubeGateway"/>.
    /// </summary>
    internal sealed class KubernetesService : IKubernetesService
    {
        private readonly AzureService _azure;
        private readonly ResourceApplier _applier;
        private readonly OperatorLogReader _log;

        public KubernetesService(AzureService azure, EngineOptions options)
            : this(azure, new ClusterConnections(options), options)
        {
        }

        private KubernetesService(AzureService azure, ClusterConnections connections, EngineOptions options)
            : this(azure, connections, new KubeGateway(connections, options))
        {
        }

        internal KubernetesService(AzureService azure, ClusterConnections connections, IKubeGateway gateway)
        {
            _azure = azure;
            Connections = connections;
            Gateway = gateway;
            _applier = new ResourceApplier(gateway);
            _log = new OperatorLogReader(gateway);
        }

        internal ClusterConnections Connections { get; }

        internal IKubeGateway Gateway { get; }

        public Task<ClusterConnection> ConnectAsync(ClusterTarget target, CallContext call) => Connections.ConnectAsync(_azure, Gateway, target, call);

        public Task<ServiceAccount> NewServiceAccountAsync(ClusterConnection connection, ServiceAccount account, CallContext call) =>
            _applier.ApplyServiceAccountAsync(connection, account, call);

        public Task<IReadOnlyList<DeployOutcome>> DeployAsync(ClusterConnection connection, IReadOnlyList<DeployItem> items, DeployOptions options, CallContext call) =>
            _applier.DeployAsync(connection, items, options, call);

        public Task<IReadOnlyList<DeployOutcome>> DeployAsync(Task<ClusterConnection> connection, IReadOnlyList<DeployItem> items, DeployOptions options,
            Func<ClusterConnection, IReadOnlyList<DeployItem>, IReadOnlyList<DeployItem>> choose, CallContext call) =>
            _applier.DeployAsync(connection, items, options, choose, call);

        public async Task<IReadOnlyList<KedaResource>> GetAsync(ClusterConnection connection, string kind, string? ns, CallContext call)
        {
            KubeKind type = KubeKind.Named(kind);
            IReadOnlyList<JsonObject> items = await Gateway.ListAsync(connection, type, ns, new KubeOperation(type.Plural, $"Listing {type.Plural}"), call).ConfigureAwait(false)
                ?? throw KubernetesErrors.KedaNotInstalled(connection, type);
            return items.Select(KedaObjects.FromJson).Where(r => r is not null).Select(r => r!).ToList();
        }

        public async Task<bool> RemoveAsync(ClusterConnection connection, string kind, string? ns, string name, CallContext call, bool force = false)
        {
            KubeKind type = KubeKind.Named(kind);
            string target = $"{kind} '{name}'{(type.Namespaced ? $" in namespace '{ns}'" : string.Empty)} on cluster '{connection.Name}'";
            if (!force && kind is TriggerAuthentication.NamespacedKind or TriggerAuthentication.ClusterKind
                && await TriggerAuthenticationUsage.UsersAsync(Gateway, connection, kind, type.Namespaced ? ns ?? connection.DefaultNamespace : null, name, call).ConfigureAwait(false)
                    is { Count: > 0 } users)
            {
                throw new KedaAksException("TriggerAuthenticationInUse", KedaErrorCategory.InvalidOperation,
                    $"{kind} '{name}' is used by {string.Join(", ", users)}: without it their triggers fail (KEDA reports the authentication not found) and they stop scaling.",
                    name, "Remove those objects or point their authenticationRef elsewhere first, or pass -Force to delete it anyway.");
            }

            if (!call.Host.ShouldProcess(target, "Remove"))
            {
                return false;
            }

            if (!await Gateway.DeleteAsync(connection, type, type.Namespaced ? ns ?? connection.DefaultNamespace : null, name, new KubeOperation(target, $"Removing {target}"),
                call).ConfigureAwait(false))
            {
                call.Host.WriteVerbose($"{target} does not exist; nothing to remove.");
                return false;
            }

            call.Host.WriteVerbose($"Removed {target}.");
            return true;
        }

        public Task<IReadOnlyList<Diagnosis>> GetOperatorLogAsync(ClusterConnection connection, OperatorLogRequest request, CallContext call) => _log.ReadAsync(connection, request, call);
    }
}
