using System.IO;

namespace KedaAks.Commands
{
    /// <summary>Replays a trigger's Prometheus history through KEDA's and the HPA's scaling rules: samples, summaries, a chart and an HTML report.</summary>
    [Cmdlet(VerbsLifecycle.Invoke, "KedaScalingReplay", DefaultParameterSetName = ByQuery, HelpUri = HelpLinks.Base + "Invoke-KedaScalingReplay.md")]
    [OutputType(typeof(ScalingSample), typeof(ScalingReplaySummary))]
    public sealed class InvokeKedaScalingReplayCommand : QueryCmdlet
    {
        private int _replays;

        [Parameter(Mandatory = true, ParameterSetName = ByQuery)]
        [Parameter(ParameterSetName = ByScaledObject)]
        [ValidateNotNullOrEmpty]
        public string[] Threshold { get; set; } = Array.Empty<string>();

        [Parameter(ParameterSetName = ByQuery)]
        public string? ActivationThreshold { get; set; }

        [Parameter(ParameterSetName = ByQuery)]
        [ValidateRange(0, 100000)]
        public int MinReplicaCount { get; set; }

        [Parameter(ParameterSetName = ByQuery)]
        [ValidateRange(1, 100000)]
        public int MaxReplicaCount { get; set; } = 100;

        [Parameter(ParameterSetName = ByQuery)]
        [ValidateRange(1, 86400)]
        public int PollingInterval { get; set; } = 30;

        [Parameter(ParameterSetName = ByQuery)]
        [ValidateRange(0, 604800)]
        public int CooldownPeriod { get; set; } = 300;

        [Parameter(ParameterSetName = ByQuery)]
        [ValidateSet("AverageValue", "Value")]
        public string? MetricType { get; set; }

        [Parameter(ParameterSetName = ByQuery)]
        [ValidateRange(0, 100000)]
        public int IdleReplicaCount { get; set; }

        [Parameter(ParameterSetName = ByQuery)]
        public SwitchParameter NoIgnoreNullValues { get; set; }

        [Parameter(ParameterSetName = ByQuery)]
        [ValidateRange(0, 100000)]
        public int FallbackReplicas { get; set; }

        [Parameter(ParameterSetName = ByQuery)]
        [ValidateRange(0, 100000)]
        public int FallbackFailureThreshold { get; set; } = 3;

        [Parameter(ParameterSetName = ByQuery)]
        public HpaBehavior? Behavior { get; set; }

        [Parameter]
        public DateTimeOffset Start { get; set; }

        [Parameter]
        public DateTimeOffset End { get; set; }

        [Parameter]
        [DurationTransformation]
        public TimeSpan Step { get; set; } = TimeSpan.FromSeconds(15);

        [Parameter]
        [ValidateRange(0, 100000)]
        public int InitialReplicas { get; set; }

        [Parameter]
        [ValidateRange(1, 100000)]
        public int TargetReplicas { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? OutFile { get; set; }

        [Parameter]
        public SwitchParameter Summary { get; set; }


        private protected override void ProcessRecordCore()
        {
            ClusterConnection? connection = QueryConnection();

            foreach (ScalingReplayRequest request in Requests())
            {
                request.Query.AsWorkloadIdentity = QueryIdentity;
                request.Query.Connection = connection;
                ScalingReplayResult result = InvokeAsync(call => Engine.Replay.ReplayAsync(request, call));
                if (result.Chart.Length > 0)
                {
                    WriteInformation(new HostInformationMessage { Message = result.Chart }, new[] { "PSHOST", "KedaAks.Chart" });
                }

                foreach (object item in Summary.IsPresent ? result.Summaries : (IEnumerable<object>)result.Samples)
                {
                    WriteObject(item);
                }
            }
        }

        private IEnumerable<ScalingReplayRequest> Requests()
        {
            IReadOnlyList<ScalingReplayRequest> requests = ScaledObject is null ? new[] { FromParameters() } : Engine.Replay.FromScaledObject(ScaledObject);
            if (ScaledObject is not null && requests.Count == 0)
            {
                WriteWarning($"ScaledObject '{ScaledObject.Name}' has no prometheus trigger to replay.");
            }

            foreach (ScalingReplayRequest request in requests)
            {
                request.Thresholds = Threshold.Length > 0 ? new List<string>(Threshold) : new List<string>();
                request.Start = Bound(nameof(Start)) ? Start : null;
                request.End = Bound(nameof(End)) ? End : null;
                request.Step = Step;
                request.InitialReplicas = Bound(nameof(InitialReplicas)) ? InitialReplicas : null;
                request.TargetReplicas = Bound(nameof(TargetReplicas)) ? TargetReplicas : null;
                request.OutFile = ReportPath();
                request.ChartWidth = ChartWidth();
                yield return request;
            }
        }

        private ScalingReplayRequest FromParameters() => new()
        {
            Query = new PrometheusQueryRequest
            {
                ServerAddress = ServerAddress, Query = Query, ActivationThreshold = ActivationThreshold, MetricType = MetricType, MinReplicaCount = MinReplicaCount,
                MaxReplicaCount = MaxReplicaCount, IgnoreNullValues = !NoIgnoreNullValues.IsPresent,
            },
            PollingInterval = PollingInterval,
            CooldownPeriod = CooldownPeriod,
            IdleReplicaCount = Bound(nameof(IdleReplicaCount)) ? IdleReplicaCount : null,
            Fallback = Bound(nameof(FallbackReplicas)) ? new ScaledObjectFallback { Replicas = FallbackReplicas, FailureThreshold = FallbackFailureThreshold } : null,
            Behavior = Behavior,
        };

        /// <summary>-OutFile as a file-system path; a second replay in one call (another trigger or ScaledObject) gets -2, -3... before the extension.</summary>
        private string? ReportPath()
        {
            if (OutFile is null)
            {
                return null;
            }

            string path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(OutFile);
            int index = ++_replays;
            return index == 1 ? path : Path.Combine(Path.GetDirectoryName(path) ?? string.Empty, $"{Path.GetFileNameWithoutExtension(path)}-{index}{Path.GetExtension(path)}");
        }

        /// <summary>The console's width less the chart's axis; 72 columns where the host has no console (a job, a runbook, a runspace without a UI).</summary>
        private int ChartWidth()
        {
            try
            {
                return Host.UI.RawUI is { } ui && ui.BufferSize.Width > 52 ? ui.BufferSize.Width - 12 : 72;
            }
            catch (Exception exception) when (exception is NotImplementedException or PSNotImplementedException or IOException or InvalidOperationException
                or System.Management.Automation.Host.HostException)
            {
                return 72;
            }
        }

        private bool Bound(string name) => MyInvocation.BoundParameters.ContainsKey(name);
    }
}
