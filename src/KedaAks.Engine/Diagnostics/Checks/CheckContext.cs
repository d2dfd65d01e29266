using k8s.Models;

namespace KedaAks.Engine.Diagnostics.Checks
{
    /// <summary>What the checks read from Azure.</summary>
    internal interface ICheckAzure
    {
        Task<UserAssignedIdentity?> GetIdentityAsync(string id, CallContext call);

        Task<UserAssignedIdentity?> FindIdentityByClientIdAsync(string subscriptionId, string clientId, CallContext call);

        Task<IReadOnlyList<FederatedCredential>> ListFederatedCredentialsAsync(string identityId, CallContext call);

        Task<List<RoleAssignment>> RoleAssignmentsAtAsync(string principalId, string scope, CallContext call);
    }

    /// <summary>The checks' identity: the one given or found, and the Azure resource behind it (null when it does not exist or was not found).</summary>
    internal sealed record IdentityFact(WorkloadIdentity? Identity, UserAssignedIdentity? Found);

    /// <summary>
    /// The facts the checks share, each fetched at most once however many checks ask and in whatever order
    /// (concurrency-safe), and the other checks' results, so a check can ask what an earlier one found.
    /// </summary>
    internal sealed class CheckContext
    {
        private readonly Lazy<Task<string>> _cluster;
        private readonly Lazy<Task<V1ServiceAccount?>> _serviceAccount;
        private readonly Lazy<Task<IdentityFact>> _identity;
        private readonly Lazy<Task<KedaFootprint>> _keda;
        private readonly Lazy<Task<IReadOnlyList<Diagnosis>>> _operatorLog;
        private readonly Lazy<Task<IReadOnlyList<KedaResource>?>> _triggerAuthentications;
        private readonly Func<string, Task<CheckResult>> _results;

        public CheckContext(IntegrationRequest request, CallContext call, IKubeGateway gateway, IKubernetesService kubernetes, ICheckAzure azure, Func<string, Task<CheckResult>> results)
        {
            (Request, Call, Gateway, Kubernetes, Azure, _results) = (request, call, gateway, kubernetes, azure, results);
            _cluster = Once(() => gateway.ServerVersionAsync(Connection!, call));
            _serviceAccount = Once(() => gateway.ReadServiceAccountAsync(Connection!, request.Namespace, request.ServiceAccountName, call));
            _identity = Once(FindIdentityAsync);
            _keda = Once(() => new KedaInstallations(gateway).FootprintAsync(Connection!, request.Namespace, null, call));
            _operatorLog = Once(() => Connection is null ? Task.FromResult<IReadOnlyList<Diagnosis>>(Array.Empty<Diagnosis>())
                : kubernetes.GetOperatorLogAsync(Connection, new OperatorLogRequest { Namespace = request.Namespace, Since = request.LogWindow, Tail = 2000 }, call));
            _triggerAuthentications = Once(ListTriggerAuthenticationsAsync);
        }

        public IntegrationRequest Request { get; }

        public CallContext Call { get; }

        public IKubernetesService Kubernetes { get; }

        /// <summary>Reads of kinds the Kubernetes service does not type (HPAs).</summary>
        public IKubeGateway Gateway { get; }

        public ICheckAzure Azure { get; }

        public ClusterConnection? Connection => Request.Connection;

        public AksCluster? Cluster => Request.Cluster;

        /// <summary>The API server's answer to a version request: the cluster is reachable and the credentials work.</summary>
        public Task<string> ClusterAsync() => _cluster.Value;

        public Task<V1ServiceAccount?> ServiceAccountAsync() => _serviceAccount.Value;

        /// <summary>The service account's azure.workload.identity/client-id annotation; null when it or the account is missing or unreadable.</summary>
        public async Task<string?> ServiceAccountClientIdAsync() =>
            Connection is null ? null : await OrDefault(ServiceAccountAsync()).ConfigureAwait(false) is { } account
                && account.Metadata.Annotations?.TryGetValue("azure.workload.identity/client-id", out string? id) == true ? id : null;

        public Task<IdentityFact> IdentityAsync() => _identity.Value;

        public Task<KedaFootprint> KedaAsync() => _keda.Value;

        public Task<IReadOnlyList<Diagnosis>> OperatorLogAsync() => _operatorLog.Value;

        /// <summary>Every TriggerAuthentication and ClusterTriggerAuthentication on the cluster; null when KEDA's CRDs are not installed.</summary>
        public Task<IReadOnlyList<KedaResource>?> TriggerAuthenticationsAsync() => _triggerAuthentications.Value;

        /// <summary>Another check's result (run now if it has not run yet).</summary>
        public Task<CheckResult> ResultOfAsync(string check) => _results(check);

        /// <summary>A fact, or the default when fetching it failed (that failure is the fact's own check's to report).</summary>
        public static async Task<T?> OrDefault<T>(Task<T> fact)
        {
            try
            {
                return await fact.ConfigureAwait(false);
            }
            catch (KedaAksException)
            {
                return default;
            }
        }

        private async Task<IdentityFact> FindIdentityAsync()
        {
            WorkloadIdentity? given = Request.Identity;
            if (given?.IdentityResourceId is { } id)
            {
                return new IdentityFact(given, await Azure.GetIdentityAsync(id, Call).ConfigureAwait(false));
            }

            string? clientId = await ServiceAccountClientIdAsync().ConfigureAwait(false);
            string? subscription = Cluster?.SubscriptionId ?? Call.Azure.SubscriptionId;
            if (clientId is null || subscription is null)
            {
                return new IdentityFact(given, null);
            }

            UserAssignedIdentity? found = await Azure.FindIdentityByClientIdAsync(subscription, clientId, Call).ConfigureAwait(false);
            return found is null ? new IdentityFact(given, null) : new IdentityFact(new WorkloadIdentity
            {
                IdentityName = found.Name,
                IdentityResourceId = found.Id,
                ClientId = clientId,
                TenantId = found.TenantId,
                PrincipalId = found.PrincipalId,
                ServiceAccountNamespace = Request.Namespace,
                ServiceAccountName = Request.ServiceAccountName,
            }, found);
        }

        private async Task<IReadOnlyList<KedaResource>?> ListTriggerAuthenticationsAsync()
        {
            try
            {
                return (await Kubernetes.GetAsync(Connection!, TriggerAuthentication.NamespacedKind, null, Call).ConfigureAwait(false))
                    .Concat(await Kubernetes.GetAsync(Connection!, TriggerAuthentication.ClusterKind, null, Call).ConfigureAwait(false)).ToList();
            }
            catch (KedaAksException exception) when (exception.ErrorId == "KedaNotInstalled")
            {
                return null;
            }
        }

        private static Lazy<Task<T>> Once<T>(Func<Task<T>> fetch) => new(fetch, LazyThreadSafetyMode.ExecutionAndPublication);
    }
}
