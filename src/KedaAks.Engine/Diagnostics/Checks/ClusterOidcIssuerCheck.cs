namespace KedaAks.Engine.Diagnostics.Checks
{
    /// <summary>The AKS cluster publishes an OIDC issuer, so Entra can verify KEDA's service-account tokens.</summary>
    internal sealed class ClusterOidcIssuerCheck() : IntegrationCheck("ClusterOidcIssuer", explains: DiagnosisCodes.FederationMismatch)
    {
        public override Task<CheckResult> RunAsync(CheckContext context) => Task.FromResult(
            context.Cluster is not { } cluster ? Skip("No AKS cluster was given (pass -Cluster or -ResourceGroupName/-ClusterName).")
            : cluster.OidcIssuerEnabled && !string.IsNullOrEmpty(cluster.OidcIssuerUrl) ? Pass($"OIDC issuer {cluster.OidcIssuerUrl}")
            : Fail($"AKS cluster '{cluster.Name}' has no OIDC issuer: Entra cannot verify KEDA's service-account tokens.", "Enable-KedaAksWorkloadIdentity."));
    }
}
