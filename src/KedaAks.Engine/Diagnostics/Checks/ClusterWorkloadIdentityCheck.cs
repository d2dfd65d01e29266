namespace KedaAks.Engine.Diagnostics.Checks
{
    /// <summary>Workload identity is enabled on the AKS cluster, so its webhook injects the identity into KEDA's pod.</summary>
    internal sealed class ClusterWorkloadIdentityCheck() : IntegrationCheck("ClusterWorkloadIdentity", explains: [DiagnosisCode.WorkloadIdentityNotInjected])
    {
        public override Task<CheckResult> RunAsync(CheckContext context) => Task.FromResult(
            context.Cluster is not { } cluster ? Skip("No AKS cluster was given.")
            : cluster.WorkloadIdentityEnabled ? Pass("Workload identity is enabled: the webhook injects tokens into labelled pods.")
            : Fail($"AKS cluster '{cluster.Name}' has workload identity disabled: the webhook does not inject AZURE_CLIENT_ID or the token file into KEDA's pod.",
                "Enable-KedaAksWorkloadIdentity, then restart the keda-operator pod."));
    }
}
