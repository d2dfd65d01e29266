namespace KedaAks
{
    /// <summary>The article as one command: plan, install (idempotent, resumable) and uninstall of KEDA on an AKS cluster with workload identity.</summary>
    public interface IAksIntegration
    {
        /// <summary>What Install would do, read-only: one step per change, values not known yet shown as such.</summary>
        Task<IReadOnlyList<IntegrationStep>> PlanAsync(AksIntegrationRequest request, CallContext call);

        /// <summary>Runs the plan; under -WhatIf asks ShouldProcess once per changing step, writes nothing, and returns null.</summary>
        Task<IntegrationResult?> InstallAsync(AksIntegrationRequest request, CallContext call);

        /// <summary>Removes, in reverse order, what the integration made and marked as its own; returns what each step did.</summary>
        Task<IReadOnlyList<IntegrationStep>> UninstallAsync(AksIntegrationRequest request, CallContext call);
    }
}
