namespace KedaAks.Commands
{
    /// <summary>Runs a prometheus query as KEDA does and says what KEDA and the HPA would do with the answer.</summary>
    [Cmdlet(VerbsDiagnostic.Test, "KedaPrometheusQuery", DefaultParameterSetName = ByQuery, HelpUri = HelpLinks.Base + "Test-KedaPrometheusQuery.md")]
    [OutputType(typeof(QueryResult))]
    public sealed class TestKedaPrometheusQueryCommand : QueryCmdlet
    {
        [Parameter(ParameterSetName = ByQuery)]
        public string? Threshold { get; set; }

        [Parameter(ParameterSetName = ByQuery)]
        public string? ActivationThreshold { get; set; }

        [Parameter(ParameterSetName = ByQuery)]
        public string? MetricType { get; set; }

        [Parameter(ParameterSetName = ByQuery)]
        public int MinReplicaCount { get; set; }

        [Parameter(ParameterSetName = ByQuery)]
        public int MaxReplicaCount { get; set; } = 100;

        [Parameter(ParameterSetName = ByQuery)]
        public SwitchParameter NoIgnoreNullValues { get; set; }

        [Parameter]
        [ValidateRange(0, 100000)]
        public int CurrentReplicas { get; set; }

        [Parameter]
        public DateTimeOffset Time { get; set; }


        private protected override void ProcessRecordCore()
        {
            ClusterConnection? connection = QueryConnection();

            foreach (PrometheusQueryRequest request in Requests())
            {
                request.AsWorkloadIdentity = QueryIdentity;
                request.Connection = connection;
                WriteObject(InvokeAsync(call => Engine.Prometheus.RunAsync(request, call)));
            }
        }

        private IEnumerable<PrometheusQueryRequest> Requests()
        {
            int? current = MyInvocation.BoundParameters.ContainsKey(nameof(CurrentReplicas)) ? CurrentReplicas : null;
            DateTimeOffset? time = MyInvocation.BoundParameters.ContainsKey(nameof(Time)) ? Time : null;
            if (ScaledObject is null)
            {
                yield return new PrometheusQueryRequest
                {
                    ServerAddress = ServerAddress, Query = Query, Threshold = Threshold, ActivationThreshold = ActivationThreshold, MetricType = MetricType,
                    MinReplicaCount = MinReplicaCount, MaxReplicaCount = MaxReplicaCount, IgnoreNullValues = !NoIgnoreNullValues.IsPresent, CurrentReplicas = current, Time = time,
                };
                yield break;
            }

            foreach (PrometheusQueryRequest request in Engine.Prometheus.FromScaledObject(ScaledObject))
            {
                request.CurrentReplicas = current;
                request.Time = time;
                yield return request;
            }
        }
    }
}
