using KedaAks.Engine.Resources;

namespace KedaAks.Engine.Keda
{
    /// <summary>
    /// A prometheus trigger's metadata read as KEDA v2.20's scaler reads it (<c>pkg/scalers/prometheus_scaler.go</c>):
    /// the keys, the typed values, and what counts as Azure Managed Prometheus. Each rule is written once: the
    /// builder asks for the strict verdicts to refuse bad input, the query runner takes the values as KEDA would use them.
    /// </summary>
    internal sealed class PrometheusTrigger
    {
        /// <summary>Metadata keys of the prometheus scaler, in the order manifests list them.</summary>
        public static readonly string[] KnownKeys =
        {
            "serverAddress", "query", "threshold", "activationThreshold", "queryParameters", "namespace", "customHeaders",
            "ignoreNullValues", "unsafeSsl", "timeout", "authModes", "authMode", "cloud", "azureManagedPrometheusResourceURL",
            "awsRegion", "identityOwner", "metricName",
        };

        /// <summary>KEDA's HTTP timeout when the trigger sets none.</summary>
        public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(3);

        private readonly IReadOnlyDictionary<string, string> _metadata;

        public PrometheusTrigger(IReadOnlyDictionary<string, string> metadata) => _metadata = metadata;

        /// <summary>A value KEDA sees as set: present and not blank.</summary>
        public string? Value(string key) => _metadata.TryGetValue(key, out string? value) && value.Trim().Length > 0 ? value : null;

        public string? ServerAddress => Value("serverAddress");

        public string? Query => Value("query");

        public string? Threshold => Value("threshold");

        public string? ActivationThreshold => Value("activationThreshold");

        /// <summary>ignoreNullValues: true unless it parses as false.</summary>
        public bool IgnoreNullValues => !(Value("ignoreNullValues") is { } flag && GoSyntax.TryParseBool(flag, out bool ignore) && !ignore);

        /// <summary>The timeout KEDA uses: a positive duration or millisecond count, else the default.</summary>
        public TimeSpan Timeout => Value("timeout") is { } text ? ReadTimeout(text) switch
        {
            ({ } duration, _) when duration > TimeSpan.Zero => duration,
            (null, { } milliseconds) when milliseconds > 0 => TimeSpan.FromMilliseconds(milliseconds),
            _ => DefaultTimeout,
        } : DefaultTimeout;

        public Dictionary<string, string> CustomHeaders => ReadPairs(Value("customHeaders"));

        public Dictionary<string, string> QueryParameters => ReadPairs(Value("queryParameters"));

        /// <summary>A timeout's text as a Go duration, else as whole milliseconds (both null: neither).</summary>
        public static (TimeSpan? Duration, long? Milliseconds) ReadTimeout(string text) =>
            GoSyntax.TryParseDuration(text, out TimeSpan duration) ? (duration, null)
            : GoSyntax.TryParseInt(text, out long milliseconds) ? (null, milliseconds)
            : (null, null);

        /// <summary>key=value pairs separated by commas; malformed items are left out, as KEDA's HTTP client skips them.</summary>
        public static Dictionary<string, string> ReadPairs(string? text)
        {
            var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (string[] pair in (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Trim().Split('=')).Where(p => p.Length == 2))
            {
                pairs[pair[0]] = pair[1];
            }

            return pairs;
        }

        /// <summary>The first item of a pair list that is not key=value, as KEDA's metadata parser refuses it.</summary>
        public static string? FirstMalformedPair(string text) => text.Split(',').Select(i => i.Trim()).FirstOrDefault(i => i.Split('=').Length != 2);

        /// <summary>A number as KEDA's JSON-typed metadata reads it; null when it is not one.</summary>
        public static double? ReadNumber(string? text) => text is not null && GoSyntax.TryParseJsonFloat(text, out double value, out _) ? value : null;

        /// <summary>An Azure Managed Prometheus query endpoint (…​.prometheus.monitor.azure.com/.us/.cn), which needs an Entra token.</summary>
        public static bool IsAzureManagedPrometheus(string? serverAddress) =>
            Uri.TryCreate(serverAddress, UriKind.Absolute, out Uri? uri) && uri.Host.Contains(".prometheus.monitor.azure.", StringComparison.OrdinalIgnoreCase);

        /// <summary>The Entra scope for Azure Managed Prometheus, as KEDA's round tripper picks it (cloud metadata, else from the host).</summary>
        public static string? AzureScope(string serverAddress, string? cloudName, string? resourceUrl)
        {
            string? cloud = cloudName?.Trim().ToUpperInvariant();
            if (cloud == "PRIVATE")
            {
                return resourceUrl is { Length: > 0 } url ? url.TrimEnd('/') + "/.default" : null;
            }

            if (!IsAzureManagedPrometheus(serverAddress))
            {
                return cloud is null ? null : ScopeFor(cloud);
            }

            string host = new Uri(serverAddress).Host;
            return cloud is not null ? ScopeFor(cloud)
                : host.EndsWith(".us", StringComparison.OrdinalIgnoreCase) ? ScopeFor("AZUREUSGOVERNMENTCLOUD")
                : host.EndsWith(".cn", StringComparison.OrdinalIgnoreCase) ? ScopeFor("AZURECHINACLOUD")
                : ScopeFor("AZUREPUBLICCLOUD");
        }

        private static string? ScopeFor(string cloud) => cloud switch
        {
            "AZUREPUBLICCLOUD" or "AZURECLOUD" => "https://prometheus.monitor.azure.com/.default",
            "AZUREUSGOVERNMENTCLOUD" or "AZUREUSGOVERNMENT" => "https://prometheus.monitor.azure.us/.default",
            "AZURECHINACLOUD" => "https://prometheus.monitor.azure.cn/.default",
            _ => null,
        };
    }
}
