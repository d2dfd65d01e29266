using k8s.Models;

namespace KedaAks.Engine.Keda
{
    /// <summary>
    /// The AKS managed add-on end to end: on (refusing a second KEDA) and off through ARM, the install mode, and restarting the
    /// operator where KEDA runs (a pod-template annotation, as 'kubectl rollout restart'), then proving the workload identity injection.
    /// </summary>
    internal sealed class KedaAddon(AzureService azure, KubernetesService kubernetes, KedaInstallations installations, EngineOptions options) : IKedaAddonService
    {
        private static readonly KubeKind Deployment = new("Deployment", "apps", "v1", "deployments", true);
        private const string RestartedAt = "kubectl.kubernetes.io/restartedAt";

        public async Task<AksCluster> EnableAsync(AksCluster? known, string? resourceId, string? resourceGroupName, string? name, ClusterConnection? connection, bool force, CallContext call)
        {
            AksCluster cluster = known is not null && resourceId is null && name is null ? known
                : await azure.GetClusterAsync(resourceId ?? known?.ResourceId, resourceGroupName, name, call).ConfigureAwait(false);
            if (cluster.KedaAddonEnabled)
            {
                call.Host.WriteVerbose($"AKS cluster '{cluster.Name}' already has the KEDA add-on enabled; nothing to change.");
                return cluster;
            }

            if (force)
            {
                call.Host.WriteVerbose("-Force: not looking for another KEDA installation on the cluster.");
            }
            else
            {
                connection ??= await kubernetes.ConnectAsync(new ClusterTarget { Cluster = cluster }, call).ConfigureAwait(false);
                IReadOnlyList<KedaInstallation> others = await installations.FindAsync(connection, cluster, call).ConfigureAwait(false);
                if (others.FirstOrDefault(i => i.InstallMethod is InstallModes.Helm or InstallModes.Manifests) is { } other)
                {
                    throw AlreadyInstalled(other, $"AKS cluster '{cluster.Name}' already runs {InstallModes.Describe(other)}; the add-on would be a second KEDA (AKS supports one).",
                        other.InstallMethod == InstallModes.Helm
                            ? $"Uninstall it first (Uninstall-KedaHelm -ReleaseName {other.ReleaseName} -Namespace {other.Namespace}), or keep it and skip the add-on; "
                                + "-Force enables the add-on anyway."
                            : $"Remove the KEDA deployments in '{other.Namespace}' first, or keep them and skip the add-on; -Force enables the add-on anyway.");
                }
            }

            return await azure.SetKedaAddonAsync(cluster, null, null, null, true, call).ConfigureAwait(false);
        }

        public Task<AksCluster> DisableAsync(AksCluster? known, string? resourceId, string? resourceGroupName, string? name, CallContext call) =>
            azure.SetKedaAddonAsync(known, resourceId, resourceGroupName, name, false, call);

        public async Task<string> InstallMethodAsync(ClusterConnection connection, AksCluster? cluster, CallContext call) =>
            (await installations.DecideAsync(connection, cluster, call).ConfigureAwait(false)).Mode;

        public async Task<OperatorLocation> LocateOperatorAsync(ClusterConnection? connection, AksCluster? cluster, string requested, string @namespace,
            string serviceAccountName, CallContext call)
        {
            string decided = InstallModes.Helm;
            if (!string.Equals(requested, InstallModes.Helm, StringComparison.OrdinalIgnoreCase))
            {
                decided = cluster is null ? InstallModes.None
                    : InstallModes.OfCluster(cluster);
                if (decided != InstallModes.AksAddon && connection is not null && !string.Equals(requested, InstallModes.AksAddon, StringComparison.OrdinalIgnoreCase))
                {
                    try
                    {
                        decided = (await installations.DecideAsync(connection, cluster, call).ConfigureAwait(false)).Mode;
                    }
                    catch (KedaAksException exception)
                    {
                        call.Host.WriteVerbose($"Could not tell how KEDA is installed ({exception.Message}); using {@namespace}/{serviceAccountName}.");
                    }
                }
            }

            string mode = InstallModes.Effective(requested, decided);
            (string ns, string account) = InstallModes.Operator(mode, @namespace, serviceAccountName);
            return new OperatorLocation { InstallMethod = mode, Namespace = ns, ServiceAccountName = account };
        }

        /// <summary>The refusal of a second KEDA, naming the one there.</summary>
        public static KedaAksException AlreadyInstalled(KedaInstallation other, string message, string fix) =>
            new("KedaAlreadyInstalled", KedaErrorCategory.ResourceExists, message, other, fix);

        public Task<KedaInstallation?> RestartOperatorAsync(ClusterConnection connection, string? @namespace, TimeSpan timeout, CallContext call) =>
            RestartOperatorAsync(connection, @namespace, timeout, null, call);

        /// <summary>The restart, with the AKS cluster when the caller has read it already (the integration): ARM is then not read again.</summary>
        public async Task<KedaInstallation?> RestartOperatorAsync(ClusterConnection connection, string? @namespace, TimeSpan timeout, AksCluster? known, CallContext call)
        {
            IKedaAksHost host = call.Host;
            AksCluster? cluster = await installations.ClusterAsync(connection, known, call).ConfigureAwait(false);
            IReadOnlyList<KedaInstallation> found = await installations.FindAsync(connection, cluster, call).ConfigureAwait(false);
            KedaInstallation installation = (@namespace is null
                    ? found.FirstOrDefault(i => i.InstallMethod == InstallModes.AksAddon) ?? found.FirstOrDefault()
                    : found.FirstOrDefault(i => i.Namespace == @namespace))
                ?? throw new KedaAksException("KedaNotInstalled", KedaErrorCategory.ObjectNotFound,
                    $"No KEDA operator deployment was found"
                    + $"{(@namespace is null ? " (looked in " + string.Join(", ", KedaComponents.LikelyNamespaces) + " and Helm releases)" : $" in '{@namespace}'")}.",
                    @namespace, "Install KEDA (Install-KedaHelm, or Enable-KedaAksAddon), or name its namespace with -Namespace.");
            string ns = installation.Namespace;
            string target = $"deployment {ns}/{KedaComponents.Operator} ({installation.InstallMethod})";
            if (!host.ShouldProcess(target, "Restart (rollout restart: a new pod-template annotation)"))
            {
                return null;
            }

            string stamp = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
            var patch = new JsonObject
            {
                ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["metadata"] = new JsonObject { ["name"] = KedaComponents.Operator, ["namespace"] = ns },
                ["spec"] = new JsonObject { ["template"] = new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [RestartedAt] = stamp } } } },
            };
            await kubernetes.Gateway.ApplyAsync(connection, Deployment, ns, KedaComponents.Operator, patch, dryRun: false, force: true,
                new KubeOperation($"{ns}/{KedaComponents.Operator}", $"Restarting deployment {ns}/{KedaComponents.Operator}"), call).ConfigureAwait(false);
            host.WriteVerbose($"Annotated the pod template of {target} with {RestartedAt}={stamp}.");

            DateTimeOffset deadline = DateTimeOffset.UtcNow + timeout;
            KedaFootprint footprint;
            while (true)
            {
                host.WriteProgress("Restarting the KEDA operator", $"Waiting for the rollout of {ns}/{KedaComponents.Operator}");
                footprint = await installations.FootprintAsync(connection, ns, null, call).ConfigureAwait(false);
                if (RolledOut(footprint, stamp))
                {
                    break;
                }

                if (DateTimeOffset.UtcNow > deadline)
                {
                    host.WriteProgress("Restarting the KEDA operator", "timed out", completed: true);
                    throw new KedaAksException("OperatorRestartTimeout", KedaErrorCategory.OperationTimeout,
                        $"The rollout of {ns}/{KedaComponents.Operator} did not finish within {timeout.TotalSeconds:0} s.", target,
                        "Look at the operator's pods (Get-KedaOperatorLog, kubectl describe pod -n " + ns + " -l app=keda-operator) and raise -Timeout if the cluster is slow.");
                }

                await options.Delay(TimeSpan.FromMilliseconds(500), call.Cancellation).ConfigureAwait(false);
            }

            host.WriteProgress("Restarting the KEDA operator", "done", completed: true);
            V1Pod pod = footprint.OperatorPod!;
            List<string> missing = KedaComponents.MissingInjection(pod);
            if (missing.Count > 0)
            {
                throw new KedaAksException("WorkloadIdentityNotInjected", KedaErrorCategory.InvalidOperation,
                    $"The restarted operator pod {ns}/{pod.Metadata?.Name} still lacks {string.Join(", ", missing)}: the workload identity webhook did not mutate it.", target,
                    $"Enable workload identity on the cluster (Enable-KedaAksWorkloadIdentity), annotate ServiceAccount {ns}/{KedaComponents.Operator} with the client id "
                    + "(New-KedaServiceAccount), then run Restart-KedaOperator again.");
            }

            Dictionary<string, string> env = KedaComponents.Environment(pod);
            host.WriteVerbose($"Operator pod {pod.Metadata?.Name} runs with AZURE_CLIENT_ID={env["AZURE_CLIENT_ID"]}, AZURE_TENANT_ID={env["AZURE_TENANT_ID"]}, "
                + $"AZURE_FEDERATED_TOKEN_FILE={env["AZURE_FEDERATED_TOKEN_FILE"]}.");
            return (await installations.FindAsync(connection, cluster, call).ConfigureAwait(false)).FirstOrDefault(i => i.Namespace == ns) ?? installation;
        }

        /// <summary>The operator deployment available and its running pod made from the restarted template.</summary>
        private static bool RolledOut(KedaFootprint footprint, string stamp) =>
            footprint.Statuses.FirstOrDefault(d => d.Name == KedaComponents.Operator)?.IsAvailable == true
            && footprint.OperatorPod is { Status.Phase: "Running" } pod
            && pod.Metadata?.Annotations?.TryGetValue(RestartedAt, out string? value) == true && value == stamp;
    }
}
