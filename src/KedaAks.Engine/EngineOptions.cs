using global::Azure.Core.Pipeline;

namespace KedaAks.Engine
{
    /// <summary>
    /// Everything about how the engine reaches the outside world, in one record that tests replace: the HTTP
    /// transport (to trust the sandbox's CA in-process), the environment, the clock's delay, and every retry and
    /// wait policy. The composition root hands it to each unit through its constructor; nothing reads a static.
    /// </summary>
    internal sealed record EngineOptions
    {
        public static readonly EngineOptions Default = new();

        public HttpPipelineTransport? Transport { get; init; }

        public IEnvironmentReader Environment { get; init; } = ProcessEnvironment.Instance;

        /// <summary>Every wait goes through this, so tests can make time pass instantly.</summary>
        public Func<TimeSpan, CancellationToken, Task> Delay { get; init; } = Task.Delay;

        /// <summary>ARM (and Entra) retries: how many, and the first back-off (exponential, Retry-After honoured).</summary>
        public int MaxRetries { get; init; } = 6;

        public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

        /// <summary>Entra token requests: Azure.Identity's own retries (its defaults: 3, from 0.8 s).</summary>
        public int EntraMaxRetries { get; init; } = 3;

        public TimeSpan EntraRetryDelay { get; init; } = TimeSpan.FromSeconds(0.8);

        /// <summary>Kubernetes API retries on 429/500/503/504 and connection errors.</summary>
        public int KubernetesMaxRetries { get; init; } = 6;

        public TimeSpan KubernetesRetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);

        /// <summary>First wait before retrying a concurrent federated-credential write (doubles each time).</summary>
        public TimeSpan ConflictBackoff { get; init; } = TimeSpan.FromSeconds(5);

        /// <summary>How long a role assignment keeps being retried while Entra has not replicated a new principal.</summary>
        public TimeSpan PrincipalReplicationTimeout { get; init; } = TimeSpan.FromMinutes(3);

        /// <summary>
        /// How long one HTTP request (ARM, Entra, the Kubernetes API) may wait for its answer before it is retried:
        /// 100 s (Azure.Core's default), or KEDAAKS_NETWORK_TIMEOUT seconds.
        /// </summary>
        public TimeSpan NetworkTimeout { get; init; } = NetworkTimeoutFrom(System.Environment.GetEnvironmentVariable("KEDAAKS_NETWORK_TIMEOUT"));

        internal static TimeSpan NetworkTimeoutFrom(string? seconds) =>
            double.TryParse(seconds, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double value) && value > 0 && value <= 3600
                ? TimeSpan.FromSeconds(value) : TimeSpan.FromSeconds(100);

        /// <summary>Poll interval when an operation gives no Retry-After.</summary>
        public TimeSpan DefaultPollInterval { get; init; } = TimeSpan.FromSeconds(10);

        public TimeSpan OperationTimeout { get; init; } = TimeSpan.FromMinutes(30);

        /// <summary>How long a cluster connection made from ARM credentials is reused.</summary>
        public TimeSpan ArmCredentialReuse { get; init; } = TimeSpan.FromMinutes(10);

        /// <summary>The client for Prometheus-compatible query endpoints (a plain Prometheus or an Azure Monitor workspace), shared by the units.</summary>
        public System.Net.Http.HttpClient QueryHttp { get; init; } = new(new System.Net.Http.SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = System.Threading.Timeout.InfiniteTimeSpan,
        };

        /// <summary>Credentials kept between commands; one per process unless a test brings its own.</summary>
        public ConcurrentDictionary<string, TokenSourceCandidate> CredentialCache { get; init; } = new(StringComparer.Ordinal);
    }
}
