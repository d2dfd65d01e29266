namespace KedaAks.Commands
{
    /// <summary>Gives an identity Monitoring Data Reader on an Azure Monitor workspace; idempotent and safe right after the identity was created.</summary>
    [Cmdlet(VerbsSecurity.Grant, "KedaMonitorWorkspaceAccess", DefaultParameterSetName = ByIdentity, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium,
        HelpUri = HelpLinks.Base + "Grant-KedaMonitorWorkspaceAccess.md")]
    [OutputType(typeof(RoleAssignment))]
    public sealed class GrantKedaMonitorWorkspaceAccessCommand : AzureCmdlet
    {
        private const string ByIdentity = "ByIdentity";
        private const string ByPrincipal = "ByPrincipal";

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = ByIdentity)]
        public WorkloadIdentity? WorkloadIdentity { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = ByPrincipal)]
        [ValidateNotNullOrEmpty]
        public string? PrincipalId { get; set; }

        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNull]
        public object? MonitorWorkspace { get; set; }

        private protected override void ProcessRecordCore()
        {
            string? principal = WorkloadIdentity?.PrincipalId ?? PrincipalId;
            string reference = WorkspaceReference.ToReference(MonitorWorkspace);
            if (string.IsNullOrWhiteSpace(principal))
            {
                throw new KedaAksException("PrincipalIdMissing", KedaErrorCategory.InvalidArgument, "The identity has no principal id (it may not exist yet).", WorkloadIdentity?.IdentityName,
                    "Create it first with New-KedaWorkloadIdentity (without -WhatIf), or pass -PrincipalId.");
            }

            RoleAssignment? assignment = InvokeAsync(async call =>
            {
                // A resource id may name any scope (a warning says when it is not a workspace); a name is looked up.
                string scope = reference.StartsWith("/", System.StringComparison.Ordinal) ? reference
                    : (await Engine.Azure.ResolveMonitorWorkspaceAsync(reference, WorkloadIdentity?.SubscriptionId, WorkloadIdentity?.ResourceGroupName, call).ConfigureAwait(false)).ResourceId!;
                return await Engine.Azure.GrantMonitoringDataReaderAsync(principal!, scope, call).ConfigureAwait(false);
            });
            if (assignment is not null)
            {
                WriteObject(assignment);
            }
        }
    }
}
