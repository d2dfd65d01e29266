using k8s.Models;

namespace KedaAks.Engine.Diagnostics.Checks
{
    /// <summary>The webhook injected the identity into the operator pod (environment and projected token), with the identity's client id.</summary>
    internal sealed class WorkloadIdentityInjectionCheck() : IntegrationCheck("WorkloadIdentityInjection", needsCluster: true, explains: [DiagnosisCode.WorkloadIdentityNotInjected])
    {
        public override async Task<CheckResult> RunAsync(CheckContext context)
        {
            if (context.Cluster is { WorkloadIdentityEnabled: false })
            {
                return Skip("Workload identity is disabled on the cluster (see ClusterWorkloadIdentity): nothing can be injected.");
            }

            KedaFootprint keda = await context.KedaAsync().ConfigureAwait(false);
            if (keda.OperatorPod is not V1Pod pod)
            {
                return Skip($"No keda-operator pod in '{context.Request.Namespace}' (see KedaInstalled).");
            }

            List<string> absent = KedaComponents.MissingInjection(pod);
            if (absent.Count > 0)
            {
                Diagnosis diagnosis = Catalog.Describe(new Diagnosis { Code = DiagnosisCode.WorkloadIdentityNotInjected });
                bool labelled = pod.Metadata.Labels?.TryGetValue("azure.workload.identity/use", out string? use) == true && use == "true";
                return Fail($"Pod {pod.Metadata.Name} lacks {string.Join(", ", absent)}" + (labelled ? "." : " and is not labelled azure.workload.identity/use=\"true\"."),
                    labelled ? diagnosis.Remedy : "Install KEDA with podIdentity.azureWorkload.enabled=true (Install-KedaHelm), which labels the operator pod.", diagnosis);
            }

            string actual = KedaComponents.Environment(pod)["AZURE_CLIENT_ID"];
            string? expected = context.Request.Identity?.ClientId ?? await context.ServiceAccountClientIdAsync().ConfigureAwait(false);
            if (expected is not null && !string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
            {
                return Fail($"The operator pod runs with AZURE_CLIENT_ID {actual}, not the identity's {expected}.", "Restart the keda-operator pod after fixing the service account annotation.");
            }

            return Pass($"Pod {pod.Metadata.Name} has the workload identity environment (client id {actual}) and token volume.");
        }
    }
}
