using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics;
using System.Formats.Tar;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using k8s;
using k8s.Autorest;
using k8s.Models;
using KedaAks.Engine.Kubernetes;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;

namespace KedaAks.Engine.Helm
{
    /// <summary>
    /// KEDA through the helm binary: the chart's value layout read from the chart itself, values in a temporary
    /// owner-only file, version gates before any change, and a check of the result (deployments available,
    /// workload identity injected into the operator pod). Also finds KEDA however it was installed.
    /// </summary>
    internal sealed class HelmService : IHelmService
    {
        /// <summary>KEDA minor → the Kubernetes minors it is tested on (keda-docs operate/cluster.md, N-2 policy).</summary>
        internal static readonly Dictionary<int, (int From, int To)> TestedKubernetes = new()
        {
            [10] = (24, 26), [11] = (25, 27), [12] = (26, 28), [13] = (27, 29), [14] = (27, 29), [15] = (28, 30),
            [16] = (29, 31), [17] = (30, 32), [18] = (31, 33), [19] = (32, 34), [20] = (33, 35),
        };

        private readonly KubernetesService _kubernetes;

        public HelmService(KubernetesService kubernetes) => _kubernetes = kubernetes;

        public (string Path, string Version) LocateHelm(string? helmPath)
        {
            string? path = helmPath;
            string from = "-HelmPath";
            if (string.IsNullOrEmpty(path) && Environment.GetEnvironmentVariable("KEDAAKS_HELM") is { Length: > 0 } variable)
            {
                (path, from) = (variable, "$env:KEDAAKS_HELM");
            }

            if (string.IsNullOrEmpty(path))
            {
                string name = OperatingSystem.IsWindows() ? "helm.exe" : "helm";
                path = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                    .Select(d => System.IO.Path.Combine(d, name)).FirstOrDefault(File.Exists);
                from = "PATH";
            }

            if (string.IsNullOrEmpty(path) || !File.Exists(path))
            {
                throw new KedaAksException("HelmNotFound", KedaErrorCategory.NotInstalled,
                    string.IsNullOrEmpty(path) ? "helm was not found: not in -HelmPath, $env:KEDAAKS_HELM or PATH." : $"helm was not found at '{path}' ({from}).", path,
                    "Install Helm 3 or 4 (https://helm.sh/docs/intro/install/, e.g. 'winget install Helm.Helm' or 'brew install helm') and put it on PATH, or pass -HelmPath.");
            }

            (int code, string output, string error) = Run(path, new[] { "version", "--short" }, null, TimeSpan.FromSeconds(30), CancellationToken.None);
            Match version = Regex.Match(output, @"v(\d+)\.(\d+)\.(\d+)");
            if (code != 0 || !version.Success)
            {
                throw new KedaAksException("HelmNotUsable", KedaErrorCategory.NotInstalled, $"'{path} version' failed: {FirstLine(error + output)}", path,
                    "Point -HelmPath or $env:KEDAAKS_HELM at a working Helm 3 or 4 binary.");
            }

            if (int.Parse(version.Groups[1].Value, CultureInfo.InvariantCulture) < 3)
            {
                throw new KedaAksException("HelmVersionUnsupported", KedaErrorCategory.NotInstalled, $"{path} is Helm {version.Value}; Helm 3 or 4 is needed.", path,
                    "Install Helm 3 or 4 (https://helm.sh/docs/intro/install/).");
            }

            return (path, version.Value);
        }

        public async Task<KedaInstallation> InstallAsync(ClusterConnection connection, HelmInstallRequest request, CallContext call)
        {
            if (!Guid.TryParse(request.ClientId, out _))
            {
                throw new KedaAksException("InvalidClientId", KedaErrorCategory.InvalidArgument, $"'{request.ClientId}' is not a client id (a GUID).", request.ClientId,
                    "Pass the ClientId of the user-assigned identity (New-KedaWorkloadIdentity outputs it).");
            }

            (string helm, string helmVersion) = LocateHelm(request.HelmPath);
            call.Host.WriteVerbose($"Using helm {helmVersion} at {helm}.");
            k8s.Kubernetes client = await _kubernetes.ClientAsync(connection, call).ConfigureAwait(false);
            using var work = new WorkDirectory();
            (string kubeconfigYaml, string? token) = await _kubernetes.Connections.KubeconfigForChildAsync(connection, call).ConfigureAwait(false);
            string kubeconfig = work.Write("kubeconfig", kubeconfigYaml);

            // The chart: what it is and how its values are laid out, read before any change.
            call.Host.WriteProgress("Installing KEDA", "Reading the chart");
            (string chartRef, string[] source) = ChartReference(request);
            ChartInfo chart = ReadChart(request, helm, chartRef, source, kubeconfig, call.Cancellation);
            call.Host.WriteVerbose($"Chart {chart.Name} {chart.Version} (KEDA {chart.AppVersion}) from {chart.Origin}.");
            Version keda = ParseVersion(chart.AppVersion) ?? ParseVersion(chart.Version)
                ?? throw new KedaAksException("ChartVersionUnknown", KedaErrorCategory.InvalidData, $"The chart's version '{chart.Version}' is not a version.", chartRef, "Pass -Version with a KEDA chart version such as 2.17.2.");
            GateVersions(keda, connection, call.Host);
            if (keda >= new Version(2, 15))
            {
                await GateAzurePodIdentityAsync(connection, keda, request.Force, call).ConfigureAwait(false);
            }

            // Who owns the service account: one that exists and Helm does not own stays ours; otherwise the chart makes it.
            bool chartCreatesAccount = true;
            try
            {
                V1ServiceAccount account = await client.CoreV1.ReadNamespacedServiceAccountAsync(request.ServiceAccountName, request.Namespace, cancellationToken: call.Cancellation).ConfigureAwait(false);
                IDictionary<string, string> annotations = account.Metadata.Annotations ?? new Dictionary<string, string>();
                bool helmOwned = annotations.TryGetValue("meta.helm.sh/release-name", out string? owner) && owner == request.ReleaseName
                    && annotations.TryGetValue("meta.helm.sh/release-namespace", out string? ownerNamespace) && ownerNamespace == request.Namespace;
                chartCreatesAccount = helmOwned;
                if (!helmOwned)
                {
                    call.Host.WriteVerbose($"ServiceAccount {request.Namespace}/{request.ServiceAccountName} exists and Helm does not own it: the chart will not create it.");
                    if (!annotations.TryGetValue("azure.workload.identity/client-id", out string? annotated) || !string.Equals(annotated, request.ClientId, StringComparison.OrdinalIgnoreCase))
                    {
                        call.Host.WriteWarning($"ServiceAccount {request.Namespace}/{request.ServiceAccountName} is not annotated with client id {request.ClientId}; run New-KedaServiceAccount so the webhook injects the right identity.");
                    }
                }
            }
            catch (HttpOperationException exception) when (exception.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                call.Host.WriteVerbose($"ServiceAccount {request.Namespace}/{request.ServiceAccountName} does not exist: the chart creates it with the workload identity annotations.");
            }

            string layout = chart.NestedServiceAccounts ? "nested serviceAccount.operator.* (chart ≥ 2.14)" : "flat serviceAccount.* (chart < 2.14)";
            call.Host.WriteVerbose($"Value layout: {layout}; serviceAccount create={chartCreatesAccount.ToString().ToLowerInvariant()}, name={request.ServiceAccountName}.");
            string values = work.Write("values.yaml", ValuesYaml(BuildValues(request, chart.NestedServiceAccounts, chartCreatesAccount)));

            var arguments = new List<string> { "upgrade", "--install", request.ReleaseName, chartRef, "--namespace", request.Namespace, "--create-namespace",
                "--values", values, "--wait", "--timeout", $"{(int)Math.Ceiling(request.Timeout.TotalSeconds)}s", "--kubeconfig", kubeconfig };
            arguments.AddRange(source);
            if (connection.Context is { Length: > 0 } context)
            {
                arguments.AddRange(new[] { "--kube-context", context });
            }

            call.Host.WriteProgress("Installing KEDA", $"helm upgrade --install {request.ReleaseName} (waiting up to {request.Timeout.TotalSeconds:0} s for the deployments)");
            (int code, string output, string error) = await Task.Run(() => Run(helm, arguments, call.Host, request.Timeout + TimeSpan.FromMinutes(1), call.Cancellation, token), call.Cancellation).ConfigureAwait(false);
            if (code != 0)
            {
                call.Host.WriteProgress("Installing KEDA", "failed", completed: true);
                throw new KedaAksException("HelmInstallFailed", KedaErrorCategory.InvalidOperation, $"helm upgrade --install {request.ReleaseName} failed: {HelmError(error, output)}", request.ReleaseName,
                    "Fix what helm reports (see -Verbose for its full output), then run Install-KedaHelm again; it upgrades in place.");
            }

            call.Host.WriteProgress("Installing KEDA", "Checking the deployments and the operator pod's workload identity");
            KedaInstallation installation = (await GetInstallationsAsync(connection, call).ConfigureAwait(false))
                .FirstOrDefault(i => i.ReleaseName == request.ReleaseName && i.Namespace == request.Namespace)
                ?? throw new KedaAksException("HelmReleaseMissing", KedaErrorCategory.InvalidOperation, $"helm reported success but release {request.Namespace}/{request.ReleaseName} is not in the cluster.", request.ReleaseName,
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
                    $"The KEDA operator pod in '{request.Namespace}' has no AZURE_CLIENT_ID: the workload identity webhook did not mutate it, so KEDA cannot authenticate to Azure Monitor.", installation,
                    "Enable workload identity on the cluster (Enable-KedaAksWorkloadIdentity), then restart the operator (kubectl rollout restart deployment keda-operator -n " + request.Namespace + ").");
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
            (string helm, string helmVersion) = LocateHelm(helmPath);
            call.Host.WriteVerbose($"Using helm {helmVersion} at {helm}.");
            using var work = new WorkDirectory();
            (string kubeconfigYaml, string? token) = await _kubernetes.Connections.KubeconfigForChildAsync(connection, call).ConfigureAwait(false);
            string kubeconfig = work.Write("kubeconfig", kubeconfigYaml);
            var arguments = new List<string> { "uninstall", releaseName, "--namespace", @namespace, "--wait", "--timeout", $"{(int)Math.Ceiling(timeout.TotalSeconds)}s", "--kubeconfig", kubeconfig };
            if (connection.Context is { Length: > 0 } context)
            {
                arguments.AddRange(new[] { "--kube-context", context });
            }

            call.Host.WriteProgress("Uninstalling KEDA", $"helm uninstall {releaseName}");
            (int code, string output, string error) = await Task.Run(() => Run(helm, arguments, call.Host, timeout + TimeSpan.FromMinutes(1), call.Cancellation, token), call.Cancellation).ConfigureAwait(false);
            call.Host.WriteProgress("Uninstalling KEDA", "done", completed: true);
            if (code == 0)
            {
                return true;
            }

            if (Regex.IsMatch(error, @"not found", RegexOptions.IgnoreCase))
            {
                return false;
            }

            throw new KedaAksException("HelmUninstallFailed", KedaErrorCategory.InvalidOperation, $"helm uninstall {releaseName} failed: {HelmError(error, output)}", releaseName,
                "Fix what helm reports (see -Verbose), then run Uninstall-KedaHelm again.");
        }

        public async Task<IReadOnlyList<KedaInstallation>> GetInstallationsAsync(ClusterConnection connection, CallContext call)
        {
            k8s.Kubernetes client = await _kubernetes.ClientAsync(connection, call).ConfigureAwait(false);
            var found = new List<KedaInstallation>();

            // Helm releases: the newest revision of each release whose chart is keda.
            V1SecretList secrets = await client.CoreV1.ListSecretForAllNamespacesAsync(labelSelector: "owner=helm", cancellationToken: call.Cancellation).ConfigureAwait(false);
            foreach (JsonNode release in secrets.Items.Select(DecodeRelease).OfType<JsonNode>()
                .Where(r => r["chart"]?["metadata"]?["name"]?.GetValue<string>() == "keda")
                .GroupBy(r => (r["namespace"]?.GetValue<string>(), r["name"]?.GetValue<string>()))
                .Select(g => g.OrderByDescending(r => r["version"]?.GetValue<int>() ?? 0).First()))
            {
                var installation = new KedaInstallation
                {
                    InstallMethod = "Helm",
                    ReleaseName = release["name"]?.GetValue<string>(),
                    Namespace = release["namespace"]?.GetValue<string>() ?? string.Empty,
                    ChartVersion = release["chart"]?["metadata"]?["version"]?.GetValue<string>(),
                    AppVersion = release["chart"]?["metadata"]?["appVersion"]?.GetValue<string>(),
                    Status = release["info"]?["status"]?.GetValue<string>(),
                    Revision = release["version"]?.GetValue<int>(),
                };
                await DescribeAsync(client, installation, null, call.Cancellation).ConfigureAwait(false);
                found.Add(installation);
            }

            // The AKS add-on (kube-system) or plain manifests: a keda-operator deployment no release accounts for.
            foreach (string ns in new[] { "kube-system", "keda" }.Where(n => found.All(i => i.Namespace != n)))
            {
                IList<V1Deployment> deployments = (await client.AppsV1.ListNamespacedDeploymentAsync(ns, cancellationToken: call.Cancellation).ConfigureAwait(false)).Items;
                V1Deployment? operatorDeployment = deployments.FirstOrDefault(d => d.Metadata.Name == "keda-operator");
                if (operatorDeployment is null)
                {
                    continue;
                }

                var installation = new KedaInstallation
                {
                    InstallMethod = ns == "kube-system" ? "AksAddon" : "Manifests",
                    Namespace = ns,
                    AppVersion = KubernetesService.OperatorVersion(operatorDeployment),
                };
                await DescribeAsync(client, installation, deployments, call.Cancellation).ConfigureAwait(false);
                found.Add(installation);
            }

            return found;
        }

        /// <summary>Fills in the deployments' availability and the operator pod's workload identity; <paramref name="deployments"/> are the namespace's, listed when null.</summary>
        private static async Task DescribeAsync(k8s.Kubernetes client, KedaInstallation installation, IList<V1Deployment>? deployments, CancellationToken cancellationToken)
        {
            deployments ??= (await client.AppsV1.ListNamespacedDeploymentAsync(installation.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false)).Items;
            var statuses = KubernetesService.KedaDeployments.Select(name => deployments.FirstOrDefault(d => d.Metadata.Name == name) is { } deployment
                ? new KedaDeploymentStatus { Name = name, Replicas = deployment.Spec?.Replicas ?? 0, Available = deployment.Status?.AvailableReplicas ?? 0 }
                : new KedaDeploymentStatus { Name = name }).ToList();
            installation.Deployments = statuses;
            V1PodList pods = await client.CoreV1.ListNamespacedPodAsync(installation.Namespace, labelSelector: "app=keda-operator", cancellationToken: cancellationToken).ConfigureAwait(false);
            V1Pod? pod = pods.Items.FirstOrDefault(p => p.Status?.Phase == "Running") ?? pods.Items.FirstOrDefault();
            IList<V1EnvVar> env = pod?.Spec?.Containers?.FirstOrDefault()?.Env ?? new List<V1EnvVar>();
            installation.ClientId = env.FirstOrDefault(e => e.Name == "AZURE_CLIENT_ID")?.Value;
            installation.TenantId = env.FirstOrDefault(e => e.Name == "AZURE_TENANT_ID")?.Value;
            installation.Healthy = statuses.All(d => d.IsAvailable) && installation.ClientId is not null
                && env.Any(e => e.Name == "AZURE_FEDERATED_TOKEN_FILE") && (installation.Status is null or "deployed");
        }

        /// <summary>A Helm 3/4 release secret: data.release is base64 of gzip of the release JSON.</summary>
        internal static JsonNode? DecodeRelease(V1Secret secret)
        {
            if (secret.Data is null || !secret.Data.TryGetValue("release", out byte[]? encoded))
            {
                return null;
            }

            try
            {
                byte[] bytes = Convert.FromBase64String(Encoding.ASCII.GetString(encoded));
                if (bytes.Length > 2 && bytes[0] == 0x1f && bytes[1] == 0x8b)
                {
                    using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
                    using var plain = new MemoryStream();
                    gzip.CopyTo(plain);
                    bytes = plain.ToArray();
                }

                return JsonNode.Parse(bytes);
            }
            catch (Exception exception) when (exception is FormatException or InvalidDataException or System.Text.Json.JsonException)
            {
                return null;
            }
        }

        private sealed record ChartInfo(string Name, string Version, string? AppVersion, bool NestedServiceAccounts, string Origin);

        private static (string Reference, string[] SourceArguments) ChartReference(HelmInstallRequest request)
        {
            var source = new List<string>();
            if (request.Version is { Length: > 0 } version)
            {
                source.AddRange(new[] { "--version", version });
            }

            if (request.ChartPath is { Length: > 0 } path)
            {
                return (path, source.ToArray());
            }

            if (request.Repository.StartsWith("oci://", StringComparison.OrdinalIgnoreCase))
            {
                return (request.Repository, source.ToArray());
            }

            if (!request.Repository.StartsWith("https://", StringComparison.OrdinalIgnoreCase) && !request.Repository.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            {
                throw new KedaAksException("InvalidRepository", KedaErrorCategory.InvalidArgument, $"'{request.Repository}' is neither an https chart repository nor an oci:// reference.", request.Repository,
                    "Pass -Repository https://kedacore.github.io/charts (the default), an oci:// chart reference, or -ChartPath for a local chart.");
            }

            source.AddRange(new[] { "--repo", request.Repository });
            return ("keda", source.ToArray());
        }

        private static ChartInfo ReadChart(HelmInstallRequest request, string helm, string chartRef, string[] source, string kubeconfig, CancellationToken cancellationToken)
        {
            string chartYaml;
            string valuesYaml;
            string origin;
            if (request.ChartPath is { Length: > 0 } path)
            {
                if (Directory.Exists(path))
                {
                    (chartYaml, valuesYaml) = (ReadIfExists(Path.Combine(path, "Chart.yaml")), ReadIfExists(Path.Combine(path, "values.yaml")));
                }
                else if (File.Exists(path))
                {
                    (chartYaml, valuesYaml) = ReadPackagedChart(path);
                }
                else
                {
                    throw new KedaAksException("ChartNotFound", KedaErrorCategory.ObjectNotFound, $"No chart at '{path}'.", path, "Pass -ChartPath a chart directory or a .tgz from 'helm pull kedacore/keda'.");
                }

                origin = path;
            }
            else
            {
                string[] show(string what) => new[] { "show", what, chartRef }.Concat(source).ToArray();
                (int code, string chart, string error) = Run(helm, show("chart"), null, TimeSpan.FromMinutes(2), cancellationToken);
                if (code != 0)
                {
                    throw new KedaAksException("ChartNotFound", KedaErrorCategory.ObjectNotFound, $"helm could not read chart {chartRef} from {request.Repository}: {HelmError(error, chart)}", chartRef,
                        "Check -Repository and -Version (and network access to the repository), or use -ChartPath with a downloaded chart for air-gapped clusters.");
                }

                chartYaml = chart;
                (_, valuesYaml, _) = Run(helm, show("values"), null, TimeSpan.FromMinutes(2), cancellationToken);
                origin = request.Repository;
            }

            YamlMappingNode chartMap = Parse(chartYaml);
            YamlMappingNode valuesMap = Parse(valuesYaml);
            string name = Scalar(chartMap, "name") ?? "keda";
            if (name != "keda")
            {
                throw new KedaAksException("NotKedaChart", KedaErrorCategory.InvalidArgument, $"The chart at {origin} is '{name}', not KEDA's chart 'keda'.", origin, "Point -ChartPath or -Repository at kedacore's keda chart.");
            }

            bool nested = valuesMap.Children.TryGetValue(new YamlScalarNode("serviceAccount"), out YamlNode? accounts)
                && accounts is YamlMappingNode accountMap && accountMap.Children.ContainsKey(new YamlScalarNode("operator"));
            return new ChartInfo(name, Scalar(chartMap, "version") ?? string.Empty, Scalar(chartMap, "appVersion"), nested, origin);
        }

        private static string ReadIfExists(string path) => File.Exists(path) ? File.ReadAllText(path) : string.Empty;

        private static (string Chart, string Values) ReadPackagedChart(string path)
        {
            string chart = string.Empty, values = string.Empty;
            using FileStream file = File.OpenRead(path);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var tar = new TarReader(gzip);
            while (tar.GetNextEntry() is { } entry)
            {
                string[] parts = entry.Name.Split('/');
                if (parts.Length != 2 || entry.DataStream is null)
                {
                    continue;
                }

                using var reader = new StreamReader(entry.DataStream);
                if (parts[1] == "Chart.yaml")
                {
                    chart = reader.ReadToEnd();
                }
                else if (parts[1] == "values.yaml")
                {
                    values = reader.ReadToEnd();
                }
            }

            return (chart, values);
        }

        private static YamlMappingNode Parse(string yaml)
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            return stream.Documents.FirstOrDefault()?.RootNode as YamlMappingNode ?? new YamlMappingNode();
        }

        private static string? Scalar(YamlMappingNode map, string key) =>
            map.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? node) && node is YamlScalarNode scalar ? scalar.Value : null;

        internal static Version? ParseVersion(string? text)
        {
            Match match = Regex.Match(text ?? string.Empty, @"^v?(\d+)\.(\d+)(?:\.(\d+))?");
            return match.Success ? new Version(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture),
                match.Groups[3].Success ? int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture) : 0) : null;
        }

        private static void GateVersions(Version keda, ClusterConnection connection, IKedaAksHost host)
        {
            if (keda < new Version(2, 10))
            {
                throw new KedaAksException("KedaVersionUnsupported", KedaErrorCategory.InvalidArgument,
                    $"KEDA {keda} cannot scale on Azure Managed Prometheus with workload identity (that needs KEDA 2.10 or later).", keda.ToString(),
                    "Pass -Version 2.10.0 or later (omit -Version for the latest chart).");
            }

            Version? kubernetes = ParseVersion(connection.KubernetesVersion);
            if (kubernetes is not null && TestedKubernetes.TryGetValue(keda.Minor, out (int From, int To) range) && keda.Major == 2
                && (kubernetes.Minor < range.From || kubernetes.Minor > range.To))
            {
                host.WriteWarning($"KEDA {keda.Major}.{keda.Minor} is tested on Kubernetes 1.{range.From}–1.{range.To}; this cluster runs {connection.KubernetesVersion}. Pick the KEDA version whose range covers the cluster (https://keda.sh/docs/latest/operate/cluster/).");
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

        internal static Dictionary<string, object?> BuildValues(HelmInstallRequest request, bool nested, bool chartCreatesAccount)
        {
            var azureWorkload = new Dictionary<string, object?> { ["enabled"] = true, ["clientId"] = request.ClientId };
            if (request.TenantId is { Length: > 0 } tenant)
            {
                azureWorkload["tenantId"] = tenant;
            }

            var account = new Dictionary<string, object?> { ["create"] = chartCreatesAccount, ["name"] = request.ServiceAccountName };
            var values = new Dictionary<string, object?>
            {
                ["podIdentity"] = new Dictionary<string, object?> { ["azureWorkload"] = azureWorkload },
                ["serviceAccount"] = nested ? new Dictionary<string, object?> { ["operator"] = account } : account,
            };
            if (request.Set is not null)
            {
                foreach (DictionaryEntry entry in request.Set)
                {
                    string[] path = (entry.Key?.ToString() ?? string.Empty).Split('.');
                    Dictionary<string, object?> target = values;
                    foreach (string part in path[..^1])
                    {
                        if (target.TryGetValue(part, out object? child) && child is Dictionary<string, object?> map)
                        {
                            target = map;
                        }
                        else
                        {
                            var created = new Dictionary<string, object?>();
                            target[part] = created;
                            target = created;
                        }
                    }

                    target[path[^1]] = Plain(entry.Value);
                }
            }

            return values;
        }

        private static object? Plain(object? value) => value switch
        {
            IDictionary map => map.Keys.Cast<object>().ToDictionary(k => k.ToString()!, k => Plain(map[k])),
            string text => text,
            IEnumerable list => list.Cast<object?>().Select(Plain).ToList(),
            _ => value,
        };

        internal static string ValuesYaml(Dictionary<string, object?> values) => new SerializerBuilder().Build().Serialize(values);

        private static string HelmError(string error, string output)
        {
            string text = string.Join(" ", (error.Length > 0 ? error : output).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(l => !l.StartsWith("W", StringComparison.Ordinal) || l.StartsWith("Error", StringComparison.Ordinal) || !Regex.IsMatch(l, @"^[WI]\d{4} ")));
            return Regex.Replace(text, @"^Error:\s*", string.Empty);
        }

        private static string FirstLine(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? string.Empty;

        /// <summary>Runs helm; each output line goes to Verbose (when a host is given). Cancellation and the timeout kill it.</summary>
        private static (int Code, string Output, string Error) Run(string helm, IEnumerable<string> arguments, IKedaAksHost? host, TimeSpan timeout, CancellationToken cancellationToken, string? token = null)
        {
            var info = new ProcessStartInfo(helm) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string argument in arguments)
            {
                info.ArgumentList.Add(argument);
            }

            info.Environment["HELM_DEBUG"] = "false";
            if (token is not null)
            {
                // helm's --kube-token, through the environment (readable by this user only) rather than argv or a file.
                info.Environment["HELM_KUBETOKEN"] = token;
            }
            using var process = new Process { StartInfo = info };
            var output = new StringBuilder();
            var error = new StringBuilder();
            var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) { output.AppendLine(e.Data); lines.Enqueue(e.Data); } };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { error.AppendLine(e.Data); lines.Enqueue(e.Data); } };
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            using (cancellationToken.Register(() => { try { process.Kill(true); } catch (InvalidOperationException) { } }))
            {
                if (!process.WaitForExit((int)Math.Min(int.MaxValue, timeout.TotalMilliseconds)))
                {
                    process.Kill(true);
                    throw new KedaAksException("HelmTimedOut", KedaErrorCategory.OperationTimeout, $"helm {string.Join(" ", arguments.Take(2))} did not finish in {timeout.TotalSeconds:0} s.", helm, "Raise -Timeout, or look at the cluster's pods.");
                }

                process.WaitForExit();
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (host is not null)
            {
                while (lines.TryDequeue(out string? line))
                {
                    host.WriteVerbose("helm: " + line);
                }
            }

            return (process.ExitCode, output.ToString(), error.ToString());
        }

        /// <summary>An owner-only temporary directory for the kubeconfig (without tokens) and values handed to helm, removed on dispose.</summary>
        private sealed class WorkDirectory : IDisposable
        {
            private readonly string _path = Directory.CreateTempSubdirectory("kedaaks-helm-").FullName;

            public string Write(string name, string content)
            {
                string file = Path.Combine(_path, name);
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }

                using (var writer = new StreamWriter(new FileStream(file, options)))
                {
                    writer.Write(content);
                }

                return file;
            }

            public void Dispose()
            {
                try
                {
                    Directory.Delete(_path, recursive: true);
                }
                catch (IOException)
                {
                }
            }
        }
    }
}
