using KedaAks.Engine.Diagnostics.Checks;

namespace KedaAks.Engine.Diagnostics
{
    /// <summary>
    /// Test-KedaIntegration: runs every <see cref="IntegrationCheck"/> and reports them in a fixed order. Checks are
    /// read-only and independent (a failing or unreachable part never hides the others); they share facts through one
    /// <see cref="CheckContext"/>. A check that needs the cluster is Skipped without a connection; when the API server
    /// does not answer, the first such check fails with the error and the others are Skipped, naming it.
    /// </summary>
    internal sealed class IntegrationChecks(IKubernetesService kubernetes, IKubeGateway gateway, ICheckAzure azure) : IIntegrationChecks
    {
        private const string Activity = "Test-KedaIntegration";

        /// <summary>The checks in the order they are reported.</summary>
        internal static IReadOnlyList<IntegrationCheck> Checks()
        {
            var checks = new List<IntegrationCheck>
            {
                new ClusterOidcIssuerCheck(), new ClusterWorkloadIdentityCheck(), new ServiceAccountCheck(), new WorkloadIdentityCheck(), new FederatedCredentialCheck(),
                new MonitoringDataReaderCheck(), new KedaInstalledCheck(), new WorkloadIdentityInjectionCheck(), new TriggerAuthenticationProvidersCheck(),
                new TriggerAuthenticationIdentitiesCheck(), new ScaledObjectsReadyCheck(), new CompetingHpasCheck(),
            };
            checks.Add(new OperatorLogCheck(checks.ToList()));
            return checks;
        }

        public async Task<IReadOnlyList<CheckResult>> RunAsync(IntegrationRequest request, CallContext call)
        {
            IReadOnlyList<IntegrationCheck> checks = Checks();
            string firstOnCluster = checks.First(c => c.NeedsCluster).Name;
            var runs = new ConcurrentDictionary<string, Lazy<Task<CheckResult>>>();
            CheckContext? context = null;
            Task<CheckResult> ResultOf(string name) =>
                runs.GetOrAdd(name, n => new Lazy<Task<CheckResult>>(() => EvaluateAsync(checks.First(c => c.Name == n), context!, firstOnCluster),
                    LazyThreadSafetyMode.ExecutionAndPublication)).Value;
            context = new CheckContext(request, call, gateway, kubernetes, azure, ResultOf);

            var results = new List<CheckResult>();
            foreach (IntegrationCheck check in checks)
            {
                call.Host.WriteProgress(Activity, check.Name, results.Count * 100 / checks.Count);
                results.Add(await ResultOf(check.Name).ConfigureAwait(false));
            }

            call.Host.WriteProgress(Activity, string.Empty, completed: true);
            return results;
        }

        public IntegrationSummary Summarize(AksCluster? cluster, IReadOnlyList<CheckResult> results)
        {
            int Count(CheckStatus status) => results.Count(r => r.Status == status);
            CheckResult? first = results.FirstOrDefault();
            return new IntegrationSummary
            {
                Cluster = cluster?.Name ?? first?.Cluster ?? string.Empty,
                ResourceGroupName = cluster?.ResourceGroupName,
                SubscriptionId = cluster?.SubscriptionId,
                ClusterResourceId = cluster?.ResourceId ?? first?.ClusterResourceId,
                Status = Count(CheckStatus.Fail) > 0 ? CheckStatus.Fail : Count(CheckStatus.Warning) > 0 ? CheckStatus.Warning
                    : Count(CheckStatus.Pass) > 0 || results.Count == 0 ? CheckStatus.Pass : CheckStatus.Skipped,
                Passed = Count(CheckStatus.Pass),
                Warnings = Count(CheckStatus.Warning),
                Failed = Count(CheckStatus.Fail),
                Skipped = Count(CheckStatus.Skipped),
                FailedChecks = results.Where(r => r.Status == CheckStatus.Fail).Select(r => r.Check).ToList(),
                Checks = results,
            };
        }

        private static async Task<CheckResult> EvaluateAsync(IntegrationCheck check, CheckContext context, string firstOnCluster)
        {
            CheckResult result;
            try
            {
                result = await ClusterGateAsync(check, context, firstOnCluster).ConfigureAwait(false) ?? await check.RunAsync(context).ConfigureAwait(false);
            }
            catch (KedaAksException exception)
            {
                result = new CheckResult { Status = CheckStatus.Fail, Message = exception.Message, Remedy = exception.RecommendedAction };
            }

            result.Check = check.Name;
            result.Cluster = context.Request.Cluster?.Name ?? context.Connection?.Name;
            result.ClusterResourceId = context.Request.Cluster?.ResourceId ?? context.Connection?.ClusterResourceId;
            return result;
        }

        /// <summary>Null when the check may run; otherwise why it does not.</summary>
        private static async Task<CheckResult?> ClusterGateAsync(IntegrationCheck check, CheckContext context, string firstOnCluster)
        {
            if (!check.NeedsCluster)
            {
                return null;
            }

            if (context.Connection is null && context.Request.ConnectionError is { } error)
            {
                return check.Name == firstOnCluster
                    ? new CheckResult { Status = CheckStatus.Fail, Message = $"The cluster could not be reached: {error.Message}", Remedy = error.RecommendedAction }
                    : new CheckResult { Status = CheckStatus.Skipped, Message = $"The cluster did not answer (see {firstOnCluster})." };
            }

            if (context.Connection is null)
            {
                return new CheckResult { Status = CheckStatus.Skipped, Message = "No cluster connection." };
            }

            try
            {
                await context.ClusterAsync().ConfigureAwait(false);
                return null;
            }
            catch (KedaAksException) when (check.Name != firstOnCluster)
            {
                return new CheckResult { Status = CheckStatus.Skipped, Message = $"The cluster did not answer (see {firstOnCluster})." };
            }
        }
    }
}
