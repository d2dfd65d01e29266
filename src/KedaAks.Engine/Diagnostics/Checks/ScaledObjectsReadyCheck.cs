using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;

namespace KedaAks.Engine.Diagnostics.Checks
{
    /// <summary>No ScaledObject reports Ready=False.</summary>
    internal sealed class ScaledObjectsReadyCheck : IntegrationCheck
    {
        public override string Name => "ScaledObjectsReady";

        public override bool NeedsCluster => true;

        public override async Task<CheckResult> RunAsync(CheckContext context)
        {
            IReadOnlyList<KedaResource> objects;
            try
            {
                objects = await context.Kubernetes.GetAsync(context.Connection!, "ScaledObject", null, context.Call).ConfigureAwait(false);
            }
            catch (KedaAksException exception) when (exception.ErrorId == "KedaNotInstalled")
            {
                return Skip("KEDA's CRDs are not installed.");
            }

            var notReady = objects.OfType<ScaledObject>().Where(o => o.Ready is "False").ToList();
            return notReady.Count == 0 ? Pass($"{objects.Count} ScaledObject(s); none reports Ready=False.")
                : Fail($"Not ready: {string.Join("; ", notReady.Select(o => $"{o.Namespace}/{o.Name} ({o.Message})"))}.", "Get-KedaOperatorLog shows why; Resolve-KedaError explains a message.");
        }
    }
}
