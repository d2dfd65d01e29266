namespace KedaAks.Infrastructure
{
    /// <summary>Shared by the Remove-Keda* cmdlets: ConfirmImpact High, -Force, pipeline from Get-Keda*.</summary>
    public abstract class RemoveKedaObjectCommand : ClusterCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(KedaObjectNameCompleter))]
        public string Name { get; set; } = string.Empty;

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(NamespaceCompleter))]
        public string? Namespace { get; set; }

        [Parameter]
        public SwitchParameter AllNamespaces { get; set; }

        [Parameter]
        public SwitchParameter Force { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
        public string? Kind { get; set; }

        private protected void Remove(string kind)
        {
            SkipConfirmation = Force.IsPresent && !MyInvocation.BoundParameters.ContainsKey("Confirm");
            ClusterConnection connection = Connection();
            if (Kind == TriggerAuthentication.ClusterKind)
            {
                kind = Kind;
            }

            IEnumerable<string?> namespaces = new[] { Namespace ?? connection.DefaultNamespace };
            if (AllNamespaces.IsPresent && kind != TriggerAuthentication.ClusterKind)
            {
                namespaces = InvokeAsync(call => Engine.Kubernetes.GetAsync(connection, kind, null, call))
                    .Where(r => r.Name == Name).Select(r => r.Namespace).Distinct().ToList();
            }

            foreach (string? ns in namespaces)
            {
                try
                {
                    InvokeAsync(call => Engine.Kubernetes.RemoveAsync(connection, kind, ns, Name, call, Force.IsPresent));
                }
                catch (KedaAksException exception) when (exception.ErrorId == "TriggerAuthenticationInUse")
                {
                    WriteEngineError(exception); // the other namespaces' objects are independent of this one
                }
            }
        }
    }
}
