namespace KedaAks.Commands
{
    /// <summary>Reads an Azure Monitor workspace and its Prometheus query endpoint.</summary>
    [Cmdlet(VerbsCommon.Get, "KedaMonitorWorkspace", DefaultParameterSetName = ByName, HelpUri = HelpLinks.Base + "Get-KedaMonitorWorkspace.md")]
    [OutputType(typeof(MonitorWorkspace))]
    public sealed class GetKedaMonitorWorkspaceCommand : AzureResourceCmdlet<MonitorWorkspace>
    {
        [Parameter(Mandatory = true, Position = 1, ParameterSetName = ByName)]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; } = string.Empty;

        [Parameter(Mandatory = true, ParameterSetName = ById, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [ValidateNotNullOrEmpty]
        public string ResourceId { get; set; } = string.Empty;

        private protected override string NameValue => Name;

        private protected override string ResourceIdValue => ResourceId;

        private protected override Task<MonitorWorkspace> ReadAsync(string? resourceId, string? resourceGroupName, string? name, CallContext call) =>
            Engine.Azure.GetMonitorWorkspaceAsync(resourceId, resourceGroupName, name, call);
    }
}
