using System.Globalization;

namespace KedaAks.Commands
{
    /// <summary>Builds, in memory, a validated ScaledObject with one prometheus trigger.</summary>
    [Cmdlet(VerbsCommon.New, "KedaPrometheusScaler", DefaultParameterSetName = ServerAddressSet, HelpUri = HelpLinks.Base + "New-KedaPrometheusScaler.md")]
    [OutputType(typeof(ScaledObject))]
    [BuildsRequest(typeof(PrometheusScalerRequest), nameof(PrometheusScalerRequest.MinReplicaCount), nameof(PrometheusScalerRequest.MaxReplicaCount),
        nameof(PrometheusScalerRequest.PollingInterval), nameof(PrometheusScalerRequest.CooldownPeriod), nameof(PrometheusScalerRequest.Metadata))]
    public sealed partial class NewKedaPrometheusScalerCommand : NewKedaObjectCommand
    {
        private const string ServerAddressSet = "ServerAddress";
        private const string MonitorWorkspaceSet = "MonitorWorkspace";

        [Parameter(Mandatory = true)]
        [ValidateNotNullOrEmpty]
        public string TargetName { get; set; } = string.Empty;

        [Parameter]
        [ArgumentCompleter(typeof(TargetKindCompleter))]
        public string? TargetKind { get; set; }

        [Parameter]
        public string? TargetApiVersion { get; set; }

        [Parameter(ParameterSetName = ServerAddressSet)]
        public string? ServerAddress { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = MonitorWorkspaceSet)]
        public MonitorWorkspace? MonitorWorkspace { get; set; }

        [Parameter]
        public string? Query { get; set; }

        [Parameter]
        public string? Threshold { get; set; }

        [Parameter]
        public string? ActivationThreshold { get; set; }

        [Parameter]
        public string? MetricName { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(MetricTypeCompleter))]
        public string? MetricType { get; set; }

        [Parameter]
        public int MinReplicaCount { get; set; }

        [Parameter]
        public int MaxReplicaCount { get; set; }

        [Parameter]
        public int PollingInterval { get; set; }

        [Parameter]
        public int CooldownPeriod { get; set; }

        [Parameter]
        [Alias("HpaName")]
        public string? HorizontalPodAutoscalerName { get; set; }

        [Parameter(ValueFromPipeline = true)]
        public TriggerAuthenticationReference? TriggerAuthentication { get; set; }

        [Parameter]
        public IDictionary? Metadata { get; set; }

        private protected override void ProcessRecordCore()
        {
            // The parameters of the same name (generated); the scaling knobs only when given, so KEDA's defaults apply otherwise.
            PrometheusScalerRequest request = NewRequest();
            request.MinReplicaCount = Bound<int>(nameof(MinReplicaCount));
            request.MaxReplicaCount = Bound<int>(nameof(MaxReplicaCount));
            request.PollingInterval = Bound<int>(nameof(PollingInterval));
            request.CooldownPeriod = Bound<int>(nameof(CooldownPeriod));
            request.Metadata = ToMetadata(Metadata);
            WriteObject(Invoke(host => Engine.Resources.NewPrometheusScaler(request, host)));
        }

        private T? Bound<T>(string parameter)
            where T : struct =>
            MyInvocation.BoundParameters.TryGetValue(parameter, out object? value) ? (T)value : null;

        /// <summary>Hashtable values as the strings KEDA will see: invariant numbers, lower-case booleans, lists joined with commas.</summary>
        internal static IDictionary<string, string?>? ToMetadata(IDictionary? metadata)
        {
            if (metadata is null)
            {
                return null;
            }

            var result = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (DictionaryEntry entry in metadata)
            {
                result[Convert.ToString(Unwrap(entry.Key), CultureInfo.InvariantCulture) ?? string.Empty] = ToText(Unwrap(entry.Value));
            }

            return result;
        }

        private static object? Unwrap(object? value) => value is PSObject psObject ? psObject.BaseObject : value;

        private static string? ToText(object? value) => value switch
        {
            null => null,
            string text => text,
            bool flag => flag ? "true" : "false",
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            IEnumerable items => string.Join(",", items.Cast<object?>().Select(item => ToText(Unwrap(item)))),
            _ => value.ToString(),
        };
    }
}
