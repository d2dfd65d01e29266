namespace KedaAks.Engine.Integration
{
    /// <summary>
    /// The integration's steps as they are decided: each is recorded, and a step that would change something asks ShouldProcess
    /// once, naming its target and the values it writes. When any step is declined (-WhatIf, or No at -Confirm) the run goes on
    /// as a plan: later steps are decided from what is known and show what they would do; nothing is written.
    /// </summary>
    internal sealed class StepLog(IKedaAksHost host, bool planOnly, string? cluster)
    {
        public const string Activity = "Install-KedaAksIntegration";

        private readonly List<IntegrationStep> _steps = new();

        public string? Cluster { get; set; } = cluster;

        /// <summary>True once a change was declined or this is Get-KedaIntegrationPlan: nothing more is written.</summary>
        public bool Planning { get; private set; }

        public IReadOnlyList<IntegrationStep> Steps
        {
            get
            {
                lock (_steps)
                {
                    return _steps.ToList();
                }
            }
        }

        /// <summary>Records the step; true when its change may be made now (never for NoChange, Unknown in a plan, or while planning).</summary>
        public bool Begin(IntegrationStep step)
        {
            step.Cluster ??= Cluster;
            lock (_steps)
            {
                _steps.Add(step);
            }

            if (step.Action == IntegrationAction.NoChange)
            {
                step.Outcome = "Unchanged";
                host.WriteVerbose($"{step.Step}: {step.Target} is as asked{(step.Detail is null ? string.Empty : $" ({step.Detail})")}.");
                return false;
            }

            if (planOnly)
            {
                Planning = true;
                return false;
            }

            // Asked even while planning, so -WhatIf prints every step; once one was declined, the later ones cannot run (they depend on it).
            bool allowed = host.ShouldProcess(step.Target, $"{step.Action}: {step.Detail}");
            Planning |= !allowed;
            return allowed && !Planning;
        }

        /// <summary>A step that changes nothing (the proof, the checks), recorded with what it found.</summary>
        public void Record(IntegrationStep step)
        {
            step.Cluster ??= Cluster;
            lock (_steps)
            {
                _steps.Add(step);
            }
        }

        /// <summary>A step that ran: what it did.</summary>
        public static void Done(IntegrationStep step, string outcome) => step.Outcome = outcome;

        public void Progress(string status, int percent) => host.WriteProgress(Activity, status, percent);
    }
}
