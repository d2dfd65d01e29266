namespace KedaAks.Commands
{
    /// <summary>Reads the KEDA operator pods' logs and diagnoses each error, grouping repeats.</summary>
    [Cmdlet(VerbsCommon.Get, "KedaOperatorLog", HelpUri = HelpLinks.Base + "Get-KedaOperatorLog.md")]
    [OutputType(typeof(Diagnosis))]
    public sealed class GetKedaOperatorLogCommand : ClusterCmdlet
    {
        [Parameter]
        [ArgumentCompleter(typeof(NamespaceCompleter))]
        public string? Namespace { get; set; }

        [Parameter]
        public TimeSpan Since { get; set; }

        [Parameter]
        [ValidateRange(1, 1000000)]
        public int Tail { get; set; }

        [Parameter]
        public SwitchParameter IncludeInfo { get; set; }

        private protected override void ProcessRecordCore()
        {
            ClusterConnection connection = Connection();
            TimeSpan? since = MyInvocation.BoundParameters.ContainsKey(nameof(Since)) ? Since : null;
            int? tail = MyInvocation.BoundParameters.ContainsKey(nameof(Tail)) ? Tail : null;
            var request = new OperatorLogRequest { Namespace = Namespace, Since = since, Tail = tail, IncludeInfo = IncludeInfo.IsPresent };
            IReadOnlyList<Diagnosis> lines = InvokeAsync(call => Engine.Kubernetes.GetOperatorLogAsync(connection, request, call));
            foreach (Diagnosis line in lines)
            {
                WriteObject(line);
            }
        }
    }
}
