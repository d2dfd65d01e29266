using System.Collections;

namespace KedaAks.Engine.Helm
{
    /// <summary>
    /// Install-KedaHelm's refusals, each before helm runs and before any write: a version below the minimum (from the number alone),
    /// -Set values that switch off what workload identity needs, a service account the identity is not federated for, a chart folder
    /// of another version, a second KEDA on the cluster, and an external metrics API another product serves.
    /// </summary>
    internal sealed class HelmPreflight(IKubeGateway gateway, KedaInstallations installations)
    {
        public const string ExternalMetricsApi = "v1beta1.external.metrics.k8s.io";

        private static readonly KubeKind ApiService = new("APIService", "apiregistration.k8s.io", "v1", "apiservices", false);

        /// <summary>What the request alone shows: no chart download, no cluster read.</summary>
        public static void BeforeChart(HelmInstallRequest request)
        {
            if (KedaVersions.Parse(request.Version) is { } asked && !KedaVersions.IsSupported(asked))
            {
                throw new KedaAksException("KedaVersionUnsupported", KedaErrorCategory.InvalidArgument,
                    $"KEDA {request.Version} is older than {KedaVersions.Short(KedaVersions.Minimum)}, the first that scales on Azure Managed Prometheus with workload identity.", request.Version,
                    $"Pass -Version {KedaVersions.Short(KedaVersions.Minimum)}.0 or later, or omit it for the newest chart.");
            }

            var set = Flatten(request.Set);
            if (set.TryGetValue("podIdentity.azureWorkload.enabled", out string? enabled) && enabled.Equals("false", StringComparison.OrdinalIgnoreCase))
            {
                throw new KedaAksException("InvalidHelmValue", KedaErrorCategory.InvalidArgument,
                    "-Set podIdentity.azureWorkload.enabled=false turns off the workload identity this install is for; KEDA would then fail to authenticate to Azure Monitor.",
                    "podIdentity.azureWorkload.enabled", "Remove it from -Set (Install-KedaHelm sets it to true).");
            }

            foreach (string key in new[] { "serviceAccount.name", "serviceAccount.operator.name" })
            {
                if (set.TryGetValue(key, out string? name) && name != request.ServiceAccountName)
                {
                    throw new KedaAksException("ServiceAccountNotFederated", KedaErrorCategory.InvalidArgument,
                        $"-Set {key}={name} runs the operator as a service account other than '{request.ServiceAccountName}', the one the workload identity is set up for.", key,
                        $"Remove {key} from -Set and pass -ServiceAccountName {name} with an identity federated for system:serviceaccount:{request.Namespace}:{name}.");
                }
            }

            string subject = $"system:serviceaccount:{request.Namespace}:{request.ServiceAccountName}";
            if (request.FederatedSubject is { Length: > 0 } federated && !string.Equals(federated, subject, StringComparison.Ordinal))
            {
                throw NotFederated(federated, subject);
            }
        }

        public static KedaAksException NotFederated(string federated, string subject) =>
            new("ServiceAccountNotFederated", KedaErrorCategory.InvalidArgument,
                $"The workload identity is federated for '{federated}', not '{subject}': KEDA would fail to sign in with AADSTS70021 (no matching federated identity record).", subject,
                $"Use the namespace and service account the identity names ({federated}), or federate this one: New-KedaWorkloadIdentity -ServiceAccountNamespace ... -ServiceAccountName ....");

        /// <summary>The chart that was read agrees with -Version.</summary>
        public static void AfterChart(HelmInstallRequest request, ChartInfo chart)
        {
            if (request.ChartPath is not null && request.Version is { } asked && KedaVersions.Parse(asked) != KedaVersions.Parse(chart.Version))
            {
                throw new KedaAksException("ChartVersionMismatch", KedaErrorCategory.InvalidArgument,
                    $"-Version {asked} disagrees with the chart in '{request.ChartPath}', which is version {chart.Version}.", request.ChartPath,
                    $"Drop -Version to install the folder's chart {chart.Version}, or point -ChartPath at a {asked} chart (helm pull kedacore/keda --version {asked} --untar).");
            }
        }

        /// <summary>One KEDA per cluster, and the external metrics API free (or KEDA's own).</summary>
        public async Task ClusterAsync(ClusterConnection connection, HelmInstallRequest request, CallContext call)
        {
            IReadOnlyList<KedaInstallation> found = await installations.FindAsync(connection, request.Cluster, call).ConfigureAwait(false);
            if (found.FirstOrDefault(i => !(i.InstallMethod == InstallModes.Helm && i.ReleaseName == request.ReleaseName && i.Namespace == request.Namespace)) is { } other)
            {
                throw KedaAddon.AlreadyInstalled(other, $"The cluster already runs {InstallModes.Describe(other)}; a second KEDA is not supported (one external metrics server per cluster).",
                    other.InstallMethod switch
                    {
                        InstallModes.AksAddon => "Use the add-on (New-KedaServiceAccount and New-KedaWorkloadIdentity with -InstallMethod Auto, then Restart-KedaOperator), "
                            + "or Disable-KedaAksAddon first.",
                        InstallModes.Helm => $"Upgrade that release instead (-ReleaseName {other.ReleaseName} -Namespace {other.Namespace}), or Uninstall-KedaHelm it first.",
                        _ => $"Remove the KEDA deployments in '{other.Namespace}' first, or keep them.",
                    });
            }

            JsonObject? api = await gateway.ReadAsync(connection, ApiService, null, ExternalMetricsApi,
                new KubeOperation(ExternalMetricsApi, $"Reading APIService {ExternalMetricsApi}"), call).ConfigureAwait(false);
            string? service = api?["spec"]?["service"]?["name"]?.GetValue<string>();
            string? ns = api?["spec"]?["service"]?["namespace"]?.GetValue<string>();
            if (api is not null && !(service == $"{KedaComponents.Operator}-metrics-apiserver" && ns == request.Namespace))
            {
                throw new KedaAksException("ExternalMetricsApiInUse", KedaErrorCategory.ResourceExists,
                    $"APIService {ExternalMetricsApi} is served by service '{service}' in namespace '{ns}', not KEDA: a cluster has one external metrics server, so helm would fail "
                    + "with 'exists and cannot be imported into the current release'.", ExternalMetricsApi,
                    $"Decide which product serves external metrics: remove the other one (e.g. datadog's or prometheus-adapter's release in '{ns}'; deleting only its APIService breaks it), "
                    + "or keep it and scale with it instead of KEDA.");
            }
        }

        private static Dictionary<string, string> Flatten(IDictionary? set)
        {
            var flat = new Dictionary<string, string>(StringComparer.Ordinal);
            if (set is null)
            {
                return flat;
            }

            foreach (DictionaryEntry entry in set)
            {
                flat[entry.Key.ToString() ?? string.Empty] = Convert.ToString(entry.Value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
            }

            return flat;
        }
    }
}
