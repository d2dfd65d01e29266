namespace KedaAks.Engine.Helm
{
    /// <summary>
    /// A release left "pending-*" blocks every later helm upgrade ("another operation is in progress"). One that another run is still
    /// working on is waited for; one older than the timeout was left by a run that was stopped, and is rolled back (an upgrade) or
    /// removed (a first install that never finished), so the next run finishes the job.
    /// </summary>
    internal static class HelmRecovery
    {
        private static readonly TimeSpan Poll = TimeSpan.FromSeconds(2);

        /// <summary>The release as it is once nothing is pending (null: there is none).</summary>
        public static async Task<ReleaseState?> RecoverAsync(IKubeGateway gateway, HelmPlan plan, ReleaseState? state, CallContext call)
        {
            HelmInstallRequest request = plan.Request;
            while (state is { Pending: true } && DateTimeOffset.UtcNow - (state.LastDeployed ?? DateTimeOffset.MinValue) < request.Timeout)
            {
                call.Host.WriteProgress("Installing KEDA", $"Helm release '{request.Namespace}/{request.ReleaseName}' is {state.Status} (another run is working on it); waiting");
                await Task.Delay(Poll, call.Cancellation).ConfigureAwait(false);
                state = await ReleaseState.ReadAsync(gateway, plan.Connection, request.ReleaseName, request.Namespace, call).ConfigureAwait(false);
            }

            if (state is not { Pending: true })
            {
                return state;
            }

            bool firstInstall = state.Status == "pending-install";
            call.Host.WriteWarning($"Helm release '{request.Namespace}/{request.ReleaseName}' has been {state.Status} since {state.LastDeployed:u} (a run was stopped); "
                + (firstInstall ? "removing the unfinished first install." : "rolling back to the last good revision."));
            var arguments = new List<string>(firstInstall ? new[] { "uninstall", request.ReleaseName } : new[] { "rollback", request.ReleaseName })
            {
                "--namespace", request.Namespace, "--wait", "--timeout", $"{(int)Math.Ceiling(request.Timeout.TotalSeconds)}s", "--kubeconfig", plan.Kubeconfig,
            };
            if (plan.Connection.Context is { Length: > 0 } context)
            {
                arguments.AddRange(new[] { "--kube-context", context });
            }

            (int code, string output, string error) = await Task.Run(() => HelmCli.Run(plan.Helm, arguments, call.Host, request.Timeout + TimeSpan.FromMinutes(1), call.Cancellation,
                plan.Token), call.Cancellation).ConfigureAwait(false);
            if (code != 0)
            {
                throw new KedaAksException("HelmReleasePending", KedaErrorCategory.ResourceUnavailable,
                    $"Helm release '{request.Namespace}/{request.ReleaseName}' is stuck {state.Status} and could not be recovered: {HelmCli.Error(error, output)}", request.ReleaseName,
                    $"Run 'helm history {request.ReleaseName} -n {request.Namespace}' and 'helm rollback' (or 'helm uninstall') it, then run the command again.");
            }

            return await ReleaseState.ReadAsync(gateway, plan.Connection, request.ReleaseName, request.Namespace, call).ConfigureAwait(false);
        }
    }
}
