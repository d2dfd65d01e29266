using k8s.Models;

namespace KedaAks.Engine.Diagnostics.Checks
{
    /// <summary>KEDA's service account exists and names the identity's client id.</summary>
    internal sealed class ServiceAccountCheck() : IntegrationCheck("ServiceAccount", needsCluster: true, explains: [DiagnosisCode.WorkloadIdentityNotInjected, DiagnosisCode.IdentityNotFound])
    {
        public override async Task<CheckResult> RunAsync(CheckContext context)
        {
            IntegrationRequest request = context.Request;
            string account = $"{request.Namespace}/{request.ServiceAccountName}";
            if (await context.ServiceAccountAsync().ConfigureAwait(false) is not V1ServiceAccount)
            {
                return Fail($"Service account {account} does not exist.", "New-KedaServiceAccount, or install KEDA with Install-KedaHelm.");
            }

            string? clientId = await context.ServiceAccountClientIdAsync().ConfigureAwait(false);
            if (clientId is null)
            {
                return Fail($"Service account {account} has no azure.workload.identity/client-id annotation.", "New-KedaServiceAccount -ClientId <identity client id>.");
            }

            WorkloadIdentity? identity = request.Identity;
            if (identity?.ClientId is { } expected && !string.Equals(expected, clientId, StringComparison.OrdinalIgnoreCase))
            {
                return Fail($"Service account annotation client-id is '{clientId}' but identity '{identity.IdentityName}' has client id '{expected}'.",
                    "New-KedaServiceAccount -ClientId with the identity's ClientId.");
            }

            return Pass($"{account} is annotated with client id {clientId}.");
        }
    }
}
