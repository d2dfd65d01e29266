namespace KedaAks.Engine.Diagnostics.Checks
{
    /// <summary>The identity holds Monitoring Data Reader on the Azure Monitor workspace (or above), so KEDA's queries are allowed.</summary>
    internal sealed class MonitoringDataReaderCheck() : IntegrationCheck("MonitoringDataReader", explains: [DiagnosisCode.MonitoringDataReaderMissing])
    {
        public override async Task<CheckResult> RunAsync(CheckContext context)
        {
            IdentityFact fact = await CheckContext.OrDefault(context.IdentityAsync()).ConfigureAwait(false) ?? new IdentityFact(context.Request.Identity, null);
            string? principal = fact.Identity?.PrincipalId ?? fact.Found?.PrincipalId;
            string? workspace = context.Request.WorkspaceId
                ?? fact.Identity?.RoleAssignments.Select(r => r.Scope).FirstOrDefault(s => s.Contains("/providers/Microsoft.Monitor/accounts/", StringComparison.OrdinalIgnoreCase));
            if (principal is null)
            {
                return Skip("No identity to check.");
            }

            if (workspace is null)
            {
                return Skip("No Azure Monitor workspace was given (pass -MonitorWorkspace).");
            }

            List<RoleAssignment> roles = await context.Azure.RoleAssignmentsAtAsync(principal, workspace, context.Call).ConfigureAwait(false);
            if (roles.FirstOrDefault(r => r.RoleDefinitionId.EndsWith(ArmApi.MonitoringDataReaderRoleId, StringComparison.OrdinalIgnoreCase)) is { } reader)
            {
                return Pass($"Monitoring Data Reader at {reader.Scope}.");
            }

            Diagnosis diagnosis = Catalog.Describe(new Diagnosis { Code = DiagnosisCode.MonitoringDataReaderMissing, PrincipalId = principal, Scope = workspace });
            return Fail($"Principal {principal} has no Monitoring Data Reader on '{workspace}' or above: KEDA's queries get 403.", diagnosis.Remedy, diagnosis);
        }
    }
}
