namespace KedaAks.Engine.Diagnostics.Checks
{
    /// <summary>
    /// The operator's recent errors: a cause another check already failed for is a Warning (one cause fails once),
    /// a known cause nothing else explains fails, unknown errors warn.
    /// </summary>
    /// <param name="explainers">The checks whose failures can explain the operator's errors.</param>
    internal sealed class OperatorLogCheck(IReadOnlyList<IntegrationCheck> explainers) : IntegrationCheck("OperatorLog", needsCluster: true)
    {
        public override async Task<CheckResult> RunAsync(CheckContext context)
        {
            IReadOnlyList<Diagnosis> errors = await context.OperatorLogAsync().ConfigureAwait(false);
            double minutes = context.Request.LogWindow.TotalMinutes;
            var known = errors.Where(e => e.Code != DiagnosisCode.Unknown).ToList();
            if (known.Count == 0)
            {
                return errors.Count == 0 ? Pass($"No operator errors in the last {minutes:0} minutes.")
                    : Warn($"{errors.Count} operator error(s) with no known cause in the last {minutes:0} minutes.", "Get-KedaOperatorLog to read them.");
            }

            var unexplained = new List<Diagnosis>();
            foreach (Diagnosis error in known)
            {
                if (!await ExplainedAsync(error.Code, context).ConfigureAwait(false))
                {
                    unexplained.Add(error);
                }
            }

            if (unexplained.Count == 0)
            {
                return Warn("Operator errors, explained by the failed checks above: " + string.Join("; ", known.Select(e => $"{e.Code} x{e.Count}")) + ".",
                    "Fix the failed checks; KEDA recovers by itself.");
            }

            Diagnosis top = unexplained.OrderByDescending(e => e.Count).First();
            return Fail("Operator errors: " + string.Join("; ", unexplained.Select(e => $"{e.Code} x{e.Count}{(e.Name is null ? string.Empty : $" ({e.Namespace}/{e.Name})")}")) + ".",
                top.Remedy, top);
        }

        private async Task<bool> ExplainedAsync(DiagnosisCode code, CheckContext context)
        {
            foreach (IntegrationCheck check in explainers.Where(c => c.Explains.Contains(code)))
            {
                if ((await context.ResultOfAsync(check.Name).ConfigureAwait(false)).Status == CheckStatus.Fail)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
