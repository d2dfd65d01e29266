using System.Collections.Generic;
using System.Threading.Tasks;

namespace KedaAks.Engine.Integration
{
    /// <summary>The whole article in one command (being built: issue 11).</summary>
    internal sealed class AksIntegration : IAksIntegration
    {
        public Task<IReadOnlyList<IntegrationStep>> PlanAsync(AksIntegrationRequest request, CallContext call) => throw NotYet();

        public Task<IntegrationResult?> InstallAsync(AksIntegrationRequest request, CallContext call) => throw NotYet();

        public Task<IReadOnlyList<IntegrationStep>> UninstallAsync(AksIntegrationRequest request, CallContext call) => throw NotYet();

        private static KedaAksException NotYet() => new("NotImplemented", KedaErrorCategory.NotImplemented, "Not built yet.", null, "Wait for issue 11.");
    }
}
