namespace KedaAks.Engine.Keda
{
    /// <summary>
    /// Every KEDA version rule in one place: the minimum for Azure Managed Prometheus with workload identity, when
    /// metricName stopped mattering, when the chart nested its service accounts, when AAD Pod Identity went away,
    /// the Kubernetes minors each KEDA minor is tested on, and the one parser for version text.
    /// </summary>
    internal static class KedaVersions
    {
        /// <summary>KEDA 2.10: the first that scales on Azure Managed Prometheus with workload identity.</summary>
        public static readonly Version Minimum = new(2, 10);

        /// <summary>KEDA 2.12: metricName is ignored (the HPA metric is always s0-prometheus).</summary>
        public static readonly Version MetricNameIgnored = new(2, 12);

        /// <summary>Chart 2.14: serviceAccount.* moved under serviceAccount.operator.*.</summary>
        public static readonly Version NestedChartLayout = new(2, 14);

        /// <summary>KEDA 2.15: podIdentity provider 'azure' (AAD Pod Identity) removed.</summary>
        public static readonly Version AzurePodIdentityRemoved = new(2, 15);

        /// <summary>KEDA minor → the Kubernetes minors it is tested on (keda-docs operate/cluster.md, N-2 policy).</summary>
        public static readonly IReadOnlyDictionary<int, (int From, int To)> TestedKubernetes = new Dictionary<int, (int From, int To)>
        {
            [10] = (24, 26), [11] = (25, 27), [12] = (26, 28), [13] = (27, 29), [14] = (27, 29), [15] = (28, 30),
            [16] = (29, 31), [17] = (30, 32), [18] = (31, 33), [19] = (32, 34), [20] = (33, 35),
        };

        private static readonly Regex Pattern = new(@"^v?(\d+)\.(\d+)(?:\.(\d+))?", RegexOptions.CultureInvariant);

        /// <summary>"2.20.2", "v2.9.3", "2.17" (patch 0), "2.20.2-rc1" (pre-release dropped); null when the text is no version.</summary>
        public static Version? Parse(string? text)
        {
            Match match = Pattern.Match(text ?? string.Empty);
            return match.Success ? new Version(Number(match.Groups[1].Value), Number(match.Groups[2].Value), match.Groups[3].Success ? Number(match.Groups[3].Value) : 0) : null;
        }

        public static bool IsSupported(Version keda) => keda >= Minimum;

        /// <summary>Whether a KEDA version no longer serves provider 'azure'; an unknown version is assumed current.</summary>
        public static bool LacksAzurePodIdentity(Version? keda) => keda is null || keda >= AzurePodIdentityRemoved;

        /// <summary>The tested Kubernetes range of a KEDA 2.x version, when known and <paramref name="kubernetes"/> is outside it.</summary>
        public static (int From, int To)? UntestedOn(Version keda, Version? kubernetes) =>
            kubernetes is not null && keda.Major == 2 && TestedKubernetes.TryGetValue(keda.Minor, out (int From, int To) range)
                && (kubernetes.Minor < range.From || kubernetes.Minor > range.To) ? range : null;

        /// <summary>"2.14" for a major.minor rule.</summary>
        public static string Short(Version version) => version.ToString(2);

        private static int Number(string digits) => int.Parse(digits, CultureInfo.InvariantCulture);
    }
}
