namespace KedaAks.Commands
{
    /// <summary>Reads an Azure Monitor workspace and its Prometheus query endpoint.</summary>
    [Cmdlet(VerbsCommon.Get, "KedaMonitorWorkspace", DefaultParameterSetName = ByName, HelpUri = HelpLinks.Base + "Get-KedaMonitorWorkspace.md")]
    [OutputType(typeof(MonitorWorkspace))]
    public sealed class GetKedaMonitorWorkspaceCommand : AzureCmdlet
    {
        private const string ByName = "ByName";
        private const string ById = "ById";

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByName)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ResourceGroupCompleter))]
        public string ResourceGroupName { get; set; } = string.Empty;

        [Parameter(Mandatory = true, Position = 1, ParameterSetName = ByName)]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; } = string.Empty;

        [Parameter(Mandatory = true, ParameterSetName = ById, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [ValidateNotNullOrEmpty]
        public string ResourceId { get; set; } = string.Empty;

        private protected override void ProcessRecordCore()
        {
            bool byId = ParameterSetName == ById;
            WriteObject(InvokeAsync(call => Engine.Azure.GetMonitorWorkspaceAsync(byId ? ResourceId : null, byId ? null : ResourceGroupName, byId ? null : Name, call)));
        }
    }
}
