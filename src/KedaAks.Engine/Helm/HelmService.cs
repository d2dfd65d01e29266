using k8s.Models;

namespace KedaAks.Engine.Helm
{
    /// <summary>
    /// KEDA through the helm binary (<see cref="HelmCli"/>): the chart's value layout read from the chart itself
    /// (<see cref="ChartReader"/>), values (<see cref="HelmValues"/>) in a temporary owner-only file, version gates
    /// before any change, and a check of the result through <see cref="KedaInstallations"/>, which also finds KEDA
    /// however it was installed.
    /// </summary>
    internal sealed class HelmService : IHelmService
    {
        private readonly IKubernetesService _kubernetes;
        private readonly ClusterConnections _connections;
        private readonly IKubeGateway _gateway;
        private readonly KedaInstallations _installations;

        public HelmService(IKubernetesService kubernetes, ClusterConnections connections, IKubeGateway gateway, KedaInstallations? installations = null)
        {
            _kubernetes = kubernetes;
            _connections = connections;
            _gateway = gateway;
            _installations = installations ?? new KedaInstallations(gateway);
        }

        public (string Path, string Version) LocateHelm(string? helmPath) => HelmCli.Locate(helmPath);

        public async Task<KedaInstallation?> InstallAsync(ClusterConnection connection, HelmInstallRequest request, CallContext call)
        {
            using HelmPlan plan = await PrepareAsync(connection, request, call).ConfigureAwait(false);
            if (plan.UpToDate)
            {
                call.Host.WriteVerbose($"{plan.Target} already runs chart {plan.Chart.Version} with these values (revision {plan.Current!.Revision}); no new revision.");
                return await VerifyAsync(connection, request, call).ConfigureAwait(false);
            }

            return call.Host.ShouldProcess(plan.Target, plan.Description) ? await ExecuteAsync(plan, call).ConfigureAwait(false) : null;
        }

        /// <summary>
        /// Everything before helm changes anything: the gates, the chart and its value layout, the values, and the release as it is
        /// (<see cref="HelmPlan.UpToDate"/> when it already runs that chart version with those values; a stopped run's pending release is recovered first).
        /// </summary>
        internal async Task<HelmPlan> PrepareAsync(ClusterConnection connection, HelmInstallRequest request, CallContext call)
        {
            if (!Guid.TryParse(request.ClientId, out _))
            {
                throw new KedaAksException("InvalidClientId", KedaErrorCategory.InvalidArgument, $"'{request.ClientId}' is not a client id (a GUID).", request.ClientId,
                    "Pass the ClientId of the user-assigned identity (New-KedaWorkloadIdentity outputs it).");
            }

            HelmPreflight.BeforeChart(request);
            await new HelmPreflight(_gateway, _installations).ClusterAsync(connection, request, call).ConfigureAwait(false);
            (string helm, string helmVersion) = HelmCli.Locate(request.HelmPath);
            call.Host.WriteVerbose($"Using helm {helmVersion} at {helm}.");
            var work = new WorkDirectory();
            try
            {
                return await PrepareInAsync(work, helm, connection, request, call).ConfigureAwait(false);
            }
            catch
            {
                work.Dispose();
                throw;
            }
        }

        private async Task<HelmPlan> PrepareInAsync(WorkDirectory work, string helm, ClusterConnection connection, HelmInstallRequest request, CallContext call)
        {
            (string kubeconfigYaml, string? token) = await _connections.KubeconfigForChildAsync(connection, call).ConfigureAwait(false);
            string kubeconfig = work.Write("kubeconfig", kubeconfigYaml);

            // The chart: what it is and how its values are laid out, read before any change.
            call.Host.WriteProgress("Installing KEDA", "Reading the chart");
            (string chartRef, string[] source) = ChartReader.Reference(request);
            ChartInfo chart = ChartReader.Read(request, helm, chartRef, source, kubeconfig, call.Cancellation);
            call.Host.WriteVerbose($"Chart {chart.Name} {chart.Version} (KEDA {chart.AppVersion}) from {chart.Origin}.");
            HelmPreflight.AfterChart(request, chart);
            Version keda = KedaVersions.Parse(chart.AppVersion) ?? KedaVersions.Parse(chart.Version)
                ?? throw new KedaAksException("ChartVersionUnknown", KedaErrorCategory.InvalidData, $"The chart's version '{chart.Version}' is not a version.", chartRef,
                    "Pass -Version with a KEDA chart version such as 2.17.2.");
            GateVersions(keda, connection, call.Host);
            if (KedaVersions.LacksAzurePodIdentity(keda))
            {
                await GateAzurePodIdentityAsync(connection, keda, request.Force, call).ConfigureAwait(false);
            }

            // Who owns the service account: one that exists and Helm does not own stays ours; otherwise the chart makes it.
            bool chartCreatesAccount = true;
            V1ServiceAccount? account = await _gateway.ReadServiceAccountAsync(connection, request.Namespace, request.ServiceAccountName, call).ConfigureAwait(false);
            if (account is null)
            {
                call.Host.WriteVerbose($"ServiceAccount {request.Namespace}/{request.ServiceAccountName} does not exist: the chart creates it with the workload identity annotations.");
            }
            else
            {
                IDictionary<string, string> annotations = account.Metadata.Annotations ?? new Dictionary<string, string>();
                bool helmOwned = annotations.TryGetValue("meta.helm.sh/release-name", out string? owner) && owner == request.ReleaseName
                    && annotations.TryGetValue("meta.helm.sh/release-namespace", out string? ownerNamespace) && ownerNamespace == request.Namespace;
                chartCreatesAccount = helmOwned;
                if (!helmOwned)
                {
                    call.Host.WriteVerbose($"ServiceAccount {request.Namespace}/{request.ServiceAccountName} exists and Helm does not own it: the chart will not create it.");
                    if (!annotations.TryGetValue("azure.workload.identity/client-id", out string? annotated) || !string.Equals(annotated, request.ClientId, StringComparison.OrdinalIgnoreCase))
                    {
                        call.Host.WriteWarning($"ServiceAccount {request.Namespace}/{request.ServiceAccountName} is not annotated with client id {request.ClientId}; "
                            + "run New-KedaServiceAccount so the webhook injects the right identity.");
                    }
                }
            }

            string gate = KedaVersions.Short(KedaVersions.NestedChartLayout);
            string layout = chart.NestedServiceAccounts ? $"nested serviceAccount.operator.* (chart ≥ {gate})" : $"flat serviceAccount.* (chart < {gate})";
            call.Host.WriteVerbose($"Value layout: {layout}; serviceAccount create={chartCreatesAccount.ToString().ToLowerInvariant()}, name={request.ServiceAccountName}.");
            Dictionary<string, object?> chosen = HelmValues.Build(request, chart.NestedServiceAccounts, chartCreatesAccount);
            string target = $"Helm release '{request.Namespace}/{request.ReleaseName}' on cluster '{connection.Name}'";
            string plan = $"helm upgrade --install {request.ReleaseName} {chart.Name} {chart.Version} (KEDA {chart.AppVersion}) from {chart.Origin}; value layout {layout}; "
                + $"values {string.Join(", ", HelmValues.Pairs(chosen))}";
            ReleaseState? current = await ReleaseState.ReadAsync(_gateway, connection, request.ReleaseName, request.Namespace, call).ConfigureAwait(false);
            return new HelmPlan(work, helm, kubeconfig, token, chartRef, source, chart, chosen, target, plan, current, request, connection);
        }

        /// <summary>Runs helm upgrade --install for a prepared plan, then checks the deployments and the operator's workload identity.</summary>
        internal async Task<KedaInstallation> ExecuteAsync(HelmPlan prepared, CallContext call)
        {
            HelmInstallRequest request = prepared.Request;
            ClusterConnection connection = prepared.Connection;
            ReleaseState? now = await HelmRecovery.RecoverAsync(_gateway, prepared, prepared.Current, call).ConfigureAwait(false);
            if (now is not null && now != prepared.Current && now.Matches(prepared.Chart.Version, prepared.Values))
            {
                call.Host.WriteVerbose($"{prepared.Target} was brought to chart {prepared.Chart.Version} with these values by another run; no new revision.");
                return await VerifyAsync(connection, request, call).ConfigureAwait(false);
            }

            string values = prepared.Work.Write("values.yaml", HelmValues.Yaml(prepared.Values));
            string kubeconfig = prepared.Kubeconfig;
            string chartRef = prepared.ChartReference;

            var arguments = new List<string> { "upgrade", "--install", request.ReleaseName, chartRef, "--namespace", request.Namespace, "--create-namespace",
                "--values", values, "--wait", "--timeout", $"{(int)Math.Ceiling(request.Timeout.TotalSeconds)}s", "--kubeconfig", kubeconfig };
            arguments.AddRange(prepared.SourceArguments);
            foreach (KeyValuePair<string, string> label in request.ReleaseLabels ?? new Dictionary<string, string>())
            {
                arguments.AddRange(new[] { "--labels", $"{label.Key}={label.Value}" });
            }

            if (connection.Context is { Length: > 0 } context)
            {
                arguments.AddRange(new[] { "--kube-context", context });
            }

            call.Host.WriteProgress("Installing KEDA", $"helm upgrade --install {request.ReleaseName} (waiting up to {request.Timeout.TotalSeconds:0} s for the deployments)");
            (int code, string output, string error) = await Task.Run(
                () => HelmCli.Run(prepared.Helm, arguments, call.Host, request.Timeout + TimeSpan.FromMinutes(1), call.Cancellation, prepared.Token),
                call.Cancellation).ConfigureAwait(false);
            if (code != 0 && HelmCli.Error(error, output).Contains("another operation (install/upgrade/rollback) is in progress", StringComparison.Ordinal))
            {
                // Another run got there first (two runs on one cluster): wait for it; if it made the same release, nothing is left to do.
                ReleaseState? latest = await ReleaseState.ReadAsync(_gateway, connection, request.ReleaseName, request.Namespace, call).ConfigureAwait(false);
                ReleaseState? settled = await HelmRecovery.RecoverAsync(_gateway, prepared, latest, call).ConfigureAwait(false);
                if (settled is not null && settled.Matches(prepared.Chart.Version, prepared.Values))
                {
                    call.Host.WriteVerbose($"{prepared.Target} was brought to chart {prepared.Chart.Version} with these values by another run; no new revision.");
                    return await VerifyAsync(connection, request, call).ConfigureAwait(false);
                }

                (code, output, error) = await Task.Run(
                    () => HelmCli.Run(prepared.Helm, arguments, call.Host, request.Timeout + TimeSpan.FromMinutes(1), call.Cancellation, prepared.Token),
                    call.Cancellation).ConfigureAwait(false);
            }

            if (code != 0)
            {
                call.Host.WriteProgress("Installing KEDA", "failed", completed: true);
                throw new KedaAksException("HelmInstallFailed", KedaErrorCategory.InvalidOperation, $"helm upgrade --install {request.ReleaseName} failed: {HelmCli.Error(error, output)}",
                    request.ReleaseName,
                    "Fix what helm reports (see -Verbose for its full output), then run Install-KedaHelm again; it upgrades in place.");
            }

            return await VerifyAsync(connection, request, call).ConfigureAwait(false);
        }

        /// <summary>The release's installation as the cluster has it: all deployments available, the operator injected with the identity asked for.</summary>
        internal async Task<KedaInstallation> VerifyAsync(ClusterConnection connection, HelmInstallRequest request, CallContext call)
        {
            call.Host.WriteProgress("Installing KEDA", "Checking the deployments and the operator pod's workload identity");
            KedaInstallation installation = (await _installations.FindAsync(connection, request.Cluster, call).ConfigureAwait(false))
                .FirstOrDefault(i => i.ReleaseName == request.ReleaseName && i.Namespace == request.Namespace)
                ?? throw new KedaAksException("HelmReleaseMissing", KedaErrorCategory.InvalidOperation,
                    $"helm reported success but release {request.Namespace}/{request.ReleaseName} is not in the cluster.", request.ReleaseName,
                    "Run 'helm list -A' against the cluster to see what happened.");
            call.Host.WriteProgress("Installing KEDA", "done", completed: true);
            if (installation.Deployments.Any(d => !d.IsAvailable))
            {
                throw new KedaAksException("KedaNotAvailable", KedaErrorCategory.ResourceUnavailable,
                    $"KEDA was installed but not all deployments are available: {string.Join(", ", installation.Deployments)}.", installation,
                    "Look at the pods in the namespace (Get-KedaOperatorLog) and raise -Timeout if the cluster is slow to pull images.");
            }

            if (installation.ClientId is null)
            {
                throw new KedaAksException("WorkloadIdentityNotInjected", KedaErrorCategory.InvalidOperation,
                    $"The KEDA operator pod in '{request.Namespace}' has no AZURE_CLIENT_ID: the workload identity webhook did not mutate it, "
                    + "so KEDA cannot authenticate to Azure Monitor.", installation,
                    "Enable workload identity on the cluster (Enable-KedaAksWorkloadIdentity), then restart the operator so the webhook injects it "
                        + $"(Restart-KedaOperator -Namespace {request.Namespace}).");
            }

            if (!string.Equals(installation.ClientId, request.ClientId, StringComparison.OrdinalIgnoreCase))
            {
                throw new KedaAksException("WorkloadIdentityClientIdMismatch", KedaErrorCategory.InvalidData,
                    $"The KEDA operator pod runs with client id {installation.ClientId}, not {request.ClientId}.", installation,
                    $"Annotate ServiceAccount {request.Namespace}/{request.ServiceAccountName} with the right client id (New-KedaServiceAccount) and restart the operator.");
            }

            return installation;
        }

        public async Task<bool> UninstallAsync(ClusterConnection connection, string releaseName, string @namespace, string? helmPath, TimeSpan timeout, CallContext call)
        {
            (string helm, string helmVersion) = HelmCli.Locate(helmPath);
            call.Host.WriteVerbose($"Using helm {helmVersion} at {helm}.");
            using var work = new WorkDirectory();
            (string kubeconfigYaml, string? token) = await _connections.KubeconfigForChildAsync(connection, call).ConfigureAwait(false);
            string kubeconfig = work.Write("kubeconfig", kubeconfigYaml);
            var arguments = new List<string> { "uninstall", releaseName, "--namespace", @namespace, "--wait", "--timeout", $"{(int)Math.Ceiling(timeout.TotalSeconds)}s", "--kubeconfig", kubeconfig };
            if (connection.Context is { Length: > 0 } context)
            {
                arguments.AddRange(new[] { "--kube-context", context });
            }

            call.Host.WriteProgress("Uninstalling KEDA", $"helm uninstall {releaseName}");
            (int code, string output, string error) = await Task.Run(() => HelmCli.Run(helm, arguments, call.Host, timeout + TimeSpan.FromMinutes(1), call.Cancellation, token),
                call.Cancellation).ConfigureAwait(false);
            call.Host.WriteProgress("Uninstalling KEDA", "done", completed: true);
            if (code == 0)
            {
                return true;
            }

            if (Regex.IsMatch(error, @"not found", RegexOptions.IgnoreCase))
            {
                return false;
            }

            throw new KedaAksException("HelmUninstallFailed", KedaErrorCategory.InvalidOperation, $"helm uninstall {releaseName} failed: {HelmCli.Error(error, output)}", releaseName,
                "Fix what helm reports (see -Verbose), then run Uninstall-KedaHelm again.");
        }

        public Task<IReadOnlyList<KedaInstallation>> GetInstallationsAsync(ClusterConnection connection, CallContext call) => _installations.FindAsync(connection, call);

        private static void GateVersions(Version keda, ClusterConnection connection, IKedaAksHost host)
        {
            if (!KedaVersions.IsSupported(keda))
            {
                throw new KedaAksException("KedaVersionUnsupported", KedaErrorCategory.InvalidArgument,
                    $"KEDA {keda} cannot scale on Azure Managed Prometheus with workload identity (that needs KEDA {KedaVersions.Short(KedaVersions.Minimum)} or later).", keda.ToString(),
                    $"Pass -Version {KedaVersions.Minimum.Major}.{KedaVersions.Minimum.Minor}.0 or later (omit -Version for the latest chart).");
            }

            if (KedaVersions.UntestedOn(keda, KedaVersions.Parse(connection.KubernetesVersion)) is { } range)
            {
                host.WriteWarning($"KEDA {keda.Major}.{keda.Minor} is tested on Kubernetes 1.{range.From}–1.{range.To}; this cluster runs {connection.KubernetesVersion}. "
                    + "Pick the KEDA version whose range covers the cluster (https://keda.sh/docs/latest/operate/cluster/).");
            }
        }

        private async Task GateAzurePodIdentityAsync(ClusterConnection connection, Version keda, bool force, CallContext call)
        {
            var legacy = new List<string>();
            foreach (string kind in new[] { TriggerAuthentication.NamespacedKind, TriggerAuthentication.ClusterKind })
            {
                IReadOnlyList<KedaResource> existing;
                try
                {
                    existing = await _kubernetes.GetAsync(connection, kind, null, call).ConfigureAwait(false);
                }
                catch (KedaAksException)
                {
                    return;  // KEDA's CRDs are not installed yet: nothing can use the removed provider.
                }

                legacy.AddRange(existing.OfType<TriggerAuthentication>().Where(t => t.Provider == PodIdentityProvider.Azure)
                    .Select(t => t.Namespace is null ? $"{kind}/{t.Name}" : $"{kind} {t.Namespace}/{t.Name}"));
            }

            if (legacy.Count == 0)
            {
                return;
            }

            string list = string.Join(", ", legacy);
            if (force)
            {
                call.Host.WriteWarning($"KEDA {keda} no longer supports podIdentity provider 'azure' (AAD Pod Identity); these stop working: {list}.");
                return;
            }

            throw new KedaAksException("AzurePodIdentityInUse", KedaErrorCategory.InvalidOperation,
                $"KEDA {keda} removed podIdentity provider 'azure' (AAD Pod Identity), and these still use it: {list}.", list,
                "Move them to provider azure-workload (New-KedaTriggerAuthentication, Deploy-KedaResource) first, or pass -Force to upgrade anyway.");
        }
    }
}
