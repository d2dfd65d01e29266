using System;
using System.Collections.Generic;
using System.Management.Automation;
using KedaAks.Infrastructure;

namespace KedaAks.Commands
{
    /// <summary>Reads the KEDA operator pods' logs and diagnoses each error, grouping repeats.</summary>
    [Cmdlet(VerbsCommon.Get, "KedaOperatorLog")]
    [OutputType(typeof(Diagnosis))]
    public sealed class GetKedaOperatorLogCommand : ClusterCmdlet
    {
        [Parameter]
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
            IReadOnlyList<Diagnosis> lines = InvokeAsync(call => Engine.Kubernetes.GetOperatorLogAsync(connection, new OperatorLogRequest { Namespace = Namespace, Since = since, Tail = tail, IncludeInfo = IncludeInfo.IsPresent }, call));
            foreach (Diagnosis line in lines)
            {
                WriteObject(line);
            }
        }
    }
}
