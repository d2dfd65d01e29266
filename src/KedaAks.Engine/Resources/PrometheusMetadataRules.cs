namespace KedaAks.Engine.Resources
{
    /// <summary>
    /// The prometheus trigger's metadata as KEDA v2.20's scaler parses it (<c>pkg/scalers/prometheus_scaler.go</c>):
    /// required keys, Go number, bool and duration syntax, key=value lists, authModes, unknown and case-mismatched keys.
    /// </summary>
    internal static class PrometheusMetadataRules
    {
        internal static readonly string[] KnownKeys = PrometheusTrigger.KnownKeys;
        private static readonly string[] AuthModes = { "apiKey", "basic", "tls", "bearer", "custom", "oauth" };
        private static readonly string[] ExclusiveAuthModes = { "bearer", "basic", "oauth" };

        internal static void Check(Dictionary<string, string> metadata, Violations violations, IKedaAksHost host)
        {
            foreach (string required in new[] { "serverAddress", "query", "threshold" })
            {
                if (!metadata.TryGetValue(required, out string? value) || value.Trim().Length == 0)
                {
                    violations.Add("Missing" + Pascal(required), required, $"missing required parameter {GoSyntax.Quote(required)} in [triggerMetadata].",
                        $"Pass -{Pascal(required)}{(required == "serverAddress" ? " (or -MonitorWorkspace)" : string.Empty)}.");
                }
            }

            if (Present(metadata, "serverAddress") is { } server)
            {
                CheckServerAddress(server, violations, host);
            }

            if (Present(metadata, "threshold") is { } threshold && CheckNumber("threshold", threshold, violations) is double target)
            {
                // KEDA hands the HPA the threshold as a milli-quantity (%.3f); negative and NaN become 0, and the HPA refuses a target that is not positive.
                string milli = target.ToString("F3", CultureInfo.InvariantCulture);
                if (target <= 0 || milli == "0.000")
                {
                    violations.Add("ThresholdNotPositive", threshold,
                        $"threshold {GoSyntax.Quote(threshold)} becomes the HPA target {(target <= 0 ? "0" : milli)}, and the HPA rejects it: target value must be positive.",
                        "Use a threshold of at least 0.001 (KEDA keeps three decimals), or scale the query up (e.g. multiply by 1000).");
                }
            }

            if (Present(metadata, "activationThreshold") is { } activation)
            {
                CheckNumber("activationThreshold", activation, violations);
            }

            foreach (string key in new[] { "ignoreNullValues", "unsafeSsl" })
            {
                if (Present(metadata, key) is { } flag && !GoSyntax.TryParseBool(flag, out _))
                {
                    violations.Add("Invalid" + Pascal(key), flag,
                        $"unable to set param {GoSyntax.Quote(key)} value {GoSyntax.Quote(flag)}: unable to parse boolean value {GoSyntax.Quote(flag)}: strconv.ParseBool: parsing "
                            + $"{GoSyntax.Quote(flag)}: invalid syntax.",
                        $"Use true or false for {key}.");
                }
            }

            foreach (string key in new[] { "customHeaders", "queryParameters" })
            {
                if (Present(metadata, key) is { } list)
                {
                    if (PrometheusTrigger.FirstMalformedPair(list) is { } item)
                    {
                        violations.Add("Invalid" + Pascal(key), list,
                            $"unable to set param {GoSyntax.Quote(key)} value {GoSyntax.Quote(list)}: expected format key=value, got {GoSyntax.Quote(item)}.",
                            $"Write {key} as key=value pairs separated by commas, e.g. name1=value1,name2=value2 (a value cannot contain '=' or ',').");
                    }
                }
            }

            if (Present(metadata, "timeout") is { } timeout)
            {
                CheckTimeout(timeout, violations);
            }

            CheckAuthModes(metadata, violations);

            if (metadata.ContainsKey("metricName"))
            {
                host.WriteWarning($"metricName is ignored by KEDA {KedaVersions.Short(KedaVersions.MetricNameIgnored)} and later: the HPA metric is always named s0-prometheus. "
                    + $"Remove it, or keep it only for KEDA {KedaVersions.Short(KedaVersions.Minimum)}-{KedaVersions.MetricNameIgnored.Major}.{KedaVersions.MetricNameIgnored.Minor - 1}.");
            }

            foreach (string key in metadata.Keys.Where(k => !KnownKeys.Contains(k, StringComparer.Ordinal)).OrderBy(k => k, StringComparer.Ordinal))
            {
                host.WriteWarning($"The prometheus scaler has no metadata key '{key}'; KEDA ignores it. Known keys: {string.Join(", ", KnownKeys)}.");
            }
        }

        private static void CheckServerAddress(string server, Violations violations, IKedaAksHost host)
        {
            if (!Uri.TryCreate(server.Trim(), UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) || server.Trim() != server)
            {
                violations.Add("InvalidServerAddress", server,
                    $"serverAddress {GoSyntax.Quote(server)} is not an absolute http(s) URL; KEDA requests \"<serverAddress>/api/v1/query\" and the request would fail.",
                    "Pass the Prometheus base URL, e.g. the Azure Monitor workspace's query endpoint https://<workspace>.<region>.prometheus.monitor.azure.com.");
                return;
            }

            string path = uri.AbsolutePath.TrimEnd('/');
            if (path.EndsWith("/api/v1/query", StringComparison.OrdinalIgnoreCase) || path.EndsWith("/api/v1", StringComparison.OrdinalIgnoreCase))
            {
                host.WriteWarning($"serverAddress '{server}' already ends with the API path; KEDA appends /api/v1/query itself, so the request would go to "
                    + $"{server.TrimEnd('/')}/api/v1/query. Pass the base URL.");
            }
            else if (server.EndsWith("/", StringComparison.Ordinal))
            {
                host.WriteWarning($"serverAddress '{server}' ends with '/'; KEDA appends /api/v1/query, giving a double slash some servers refuse. Remove the trailing slash.");
            }
        }

        private static double? CheckNumber(string key, string text, Violations violations)
        {
            if (GoSyntax.TryParseJsonFloat(text, out double value, out string? error))
            {
                return value;
            }

            violations.Add("Invalid" + Pascal(key), text,
                $"unable to set param {GoSyntax.Quote(key)} value {GoSyntax.Quote(text)}: unable to unmarshal to field type float64: {error}.",
                $"Write {key} as a plain number such as 100 or 0.5 (no sign '+', no thousands separator, no leading '.').");
            return null;
        }

        private static void CheckTimeout(string text, Violations violations)
        {
            const string Fix = "Write timeout as a Go duration such as 10s or 500ms, or as whole milliseconds such as 3000.";
            (TimeSpan? duration, long? milliseconds) = PrometheusTrigger.ReadTimeout(text);
            if (duration is not null)
            {
                if (duration < TimeSpan.Zero)
                {
                    violations.Add("InvalidTimeout", text, $"unable to set param \"timeout\" value {GoSyntax.Quote(text)}: duration cannot be negative: {GoSyntax.Quote(text)}.", Fix);
                }

                return;
            }

            if (milliseconds is not null)
            {
                if (milliseconds < 0)
                {
                    violations.Add("InvalidTimeout", text, $"unable to set param \"timeout\" value {GoSyntax.Quote(text)}: duration cannot be negative: {milliseconds} milliseconds.", Fix);
                }

                return;
            }

            violations.Add("InvalidTimeout", text,
                $"unable to set param \"timeout\" value {GoSyntax.Quote(text)}: unable to parse duration value {GoSyntax.Quote(text)}: must be either a duration string (e.g. '30s', '5m') or "
                    + $"a number of milliseconds.", Fix);
        }

        private static void CheckAuthModes(Dictionary<string, string> metadata, Violations violations)
        {
            string key = metadata.ContainsKey("authModes") ? "authModes" : "authMode";
            if (Present(metadata, key) is not { } value)
            {
                return;
            }

            string[] modes = value.Split(',').Select(m => m.Trim()).ToArray();
            foreach (string mode in modes)
            {
                if (!AuthModes.Contains(mode, StringComparer.Ordinal))
                {
                    violations.Add("InvalidAuthModes", value, $"parameter \"authModes\" value {GoSyntax.Quote(mode)} must be one of [{string.Join(" ", AuthModes)}].",
                        "Use a comma-separated list of apiKey, basic, tls, bearer, custom, oauth.");
                    return;
                }
            }

            if (modes.Count(m => ExclusiveAuthModes.Contains(m, StringComparer.Ordinal)) > 1)
            {
                violations.Add("InvalidAuthModes", value, $"parameter \"authModes\" value {GoSyntax.Quote(value)} must contain only one of [{string.Join(" ", ExclusiveAuthModes)}].",
                    "Keep at most one of bearer, basic and oauth.");
            }
        }

        internal static string? Present(Dictionary<string, string> metadata, string key) => new PrometheusTrigger(metadata).Value(key);

        internal static string Pascal(string key) => char.ToUpperInvariant(key[0]) + key.Substring(1);
    }
}
