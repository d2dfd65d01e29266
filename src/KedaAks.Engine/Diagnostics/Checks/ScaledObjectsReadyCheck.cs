namespace KedaAks.Engine.Diagnostics.Checks
{
    /// <summary>No ScaledObject reports Ready=False (a failure), and every one has a status (none yet is a warning, not a pass).</summary>
    internal sealed class ScaledObjectsReadyCheck() : IntegrationCheck("ScaledObjectsReady", needsCluster: true)
    {
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
            if (notReady.Count > 0)
            {
                return Fail($"Not ready: {string.Join("; ", notReady.Select(o => $"{o.Namespace}/{o.Name} ({o.Message})"))}.", "Get-KedaOperatorLog shows why; Resolve-KedaError explains a message.");
            }

            // No Ready condition at all: KEDA's operator has not reconciled the object (not running, not watching the namespace, or just applied).
            var unseen = objects.OfType<ScaledObject>().Where(o => o.Ready is null).ToList();
            return unseen.Count > 0
                ? Warn($"No status yet (KEDA's operator has not reconciled them): {string.Join(", ", unseen.Select(o => $"{o.Namespace}/{o.Name}"))}.",
                    "Check that keda-operator is running (Get-KedaInstallation) and read its log (Get-KedaOperatorLog); a ScaledObject applied seconds ago gets its status shortly.")
                : Pass($"{objects.Count} ScaledObject(s); every one reports Ready=True.");
        }
    }
}
