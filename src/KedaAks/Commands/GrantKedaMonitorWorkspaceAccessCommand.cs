using System.Management.Automation;
using KedaAks.Infrastructure;

namespace KedaAks.Commands
{
    /// <summary>Gives an identity Monitoring Data Reader on an Azure Monitor workspace; idempotent and safe right after the identity was created.</summary>
    [Cmdlet(VerbsSecurity.Grant, "KedaMonitorWorkspaceAccess", DefaultParameterSetName = ByIdentity, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
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
            AzureSettings settings = Settings;
            string? principal = WorkloadIdentity?.PrincipalId ?? PrincipalId;
            string? scope = WorkspaceReference.ToResourceId(MonitorWorkspace);
            if (string.IsNullOrWhiteSpace(principal))
            {
                throw new KedaAksException("PrincipalIdMissing", KedaErrorCategory.InvalidArgument, "The identity has no principal id (it may not exist yet).", WorkloadIdentity?.IdentityName,
                    "Create it first with New-KedaWorkloadIdentity (without -WhatIf), or pass -PrincipalId.");
            }

            if (string.IsNullOrWhiteSpace(scope))
            {
                throw new KedaAksException("MonitorWorkspaceMissing", KedaErrorCategory.InvalidArgument, "-MonitorWorkspace names no resource id.", MonitorWorkspace,
                    "Pass a workspace from Get-KedaMonitorWorkspace or its resource id.");
            }

            RoleAssignment? assignment = InvokeAsync((host, token) => Engine.Azure.GrantMonitoringDataReaderAsync(settings, principal!, scope!, host, token));
            if (assignment is not null)
            {
                WriteObject(assignment);
            }
        }
    }
}
