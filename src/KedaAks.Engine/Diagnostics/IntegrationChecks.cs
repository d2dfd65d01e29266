using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using k8s;
using k8s.Autorest;
using k8s.Models;
using KedaAks.Engine.Azure;
using KedaAks.Engine.Kubernetes;

namespace KedaAks.Engine.Diagnostics
{
    /// <summary>
    /// Test-KedaIntegration's checks, read-only and independent: each runs on its own (a failing or unreachable
    /// part never hides the others), and a check whose input is missing, or whose subject an earlier failure
    /// already explains, is Skipped with the reason rather than failing twice for one cause.
    /// </summary>
    internal sealed class IntegrationChecks : IIntegrationChecks
    {
        private static readonly string[] KedaDeployments = KubernetesService.KedaDeployments;

        private readonly AzureService _azure;
        private readonly KubernetesService _kubernetes;

        public IntegrationChecks(AzureService azure, KubernetesService kubernetes)
        {
            _azure = azure;
            _kubernetes = kubernetes;
        }

        private sealed class State
        {
            public AksCluster? Cluster { get; set; }

            public WorkloadIdentity? Identity { get; set; }

            public UserAssignedIdentity? IdentityFound { get; set; }

            public k8s.Kubernetes? Client { get; set; }

            public Version? KedaVersion { get; set; }

            public V1Pod? OperatorPod { get; set; }

            public string? ServiceAccountClientId { get; set; }

            /// <summary>The operator log, read once and shared by the checks that use it.</summary>
            public IReadOnlyList<Diagnosis>? OperatorLog { get; set; }
        }

        private async Task<IReadOnlyList<Diagnosis>> OperatorLogOf(IntegrationRequest request, State state, CallContext call) =>
            state.OperatorLog ??= request.Connection is null ? Array.Empty<Diagnosis>()
                : await _kubernetes.GetOperatorLogAsync(request.Connection, new OperatorLogRequest { Namespace = request.Namespace, Since = request.LogWindow, Tail = 2000 }, call).ConfigureAwait(false);

        public async Task<IReadOnlyList<CheckResult>> RunAsync(IntegrationRequest request, CallContext call)
        {
            var state = new State { Cluster = request.Cluster, Identity = request.Identity };
            var results = new List<CheckResult>();
            if (request.Connection is not null)
            {
                try
                {
                    state.Client = await _kubernetes.ClientForAsync(request.Connection, call).ConfigureAwait(false);
                }
                catch (KedaAksException exception)
                {
                    results.Add(Result("ClusterConnection", CheckStatus.Fail, exception.Message, exception.RecommendedAction));
                }
            }

            var checks = new (string Name, Func<Task<CheckResult>> Run)[]
            {
                ("ClusterOidcIssuer", () => Task.FromResult(OidcIssuer(state))),
                ("ClusterWorkloadIdentity", () => Task.FromResult(WorkloadIdentityFlag(state))),
                ("ServiceAccount", () => ServiceAccountAsync(request, state, call.Cancellation)),
                ("WorkloadIdentity", () => IdentityAsync(request, state, call)),
                ("FederatedCredential", () => FederatedCredentialAsync(request, state, call)),
                ("MonitoringDataReader", () => RoleAsync(request, state, call)),
                ("KedaInstalled", () => KedaInstalledAsync(request, state, call.Cancellation)),
                ("WorkloadIdentityInjection", () => InjectionAsync(request, state, call.Cancellation)),
                ("TriggerAuthenticationProviders", () => ProvidersAsync(request, state, call)),
                ("ScaledObjectsReady", () => ScaledObjectsAsync(request, state, call)),
                ("OperatorLog", () => OperatorLogAsync(request, state, results, call)),
            };
            foreach ((string name, Func<Task<CheckResult>> run) in checks)
            {
                call.Host.WriteProgress("Test-KedaIntegration", name, results.Count * 100 / checks.Length);
                try
                {
                    CheckResult result = await run().ConfigureAwait(false);
                    result.Check = name;
                    results.Add(result);
                }
                catch (KedaAksException exception)
                {
                    results.Add(Result(name, CheckStatus.Fail, exception.Message, exception.RecommendedAction));
                }
                catch (HttpOperationException exception)
                {
                    KedaAksException translated = KubernetesErrors.FromResponse(exception, name, name);
                    results.Add(Result(name, CheckStatus.Fail, translated.Message, translated.RecommendedAction));
                }
                catch (System.Net.Http.HttpRequestException exception)
                {
                    results.Add(Result(name, CheckStatus.Skipped, $"Not reachable: {exception.Message}", null));
                }
            }

            call.Host.WriteProgress("Test-KedaIntegration", string.Empty, completed: true);
            return results;
        }

        private static CheckResult OidcIssuer(State state) =>
            state.Cluster is null ? Skip("No AKS cluster was given (pass -Cluster or -ResourceGroupName/-ClusterName).")
            : state.Cluster.OidcIssuerEnabled && !string.IsNullOrEmpty(state.Cluster.OidcIssuerUrl) ? Pass($"OIDC issuer {state.Cluster.OidcIssuerUrl}")
            : Result(string.Empty, CheckStatus.Fail, $"AKS cluster '{state.Cluster.Name}' has no OIDC issuer: Entra cannot verify KEDA's service-account tokens.", "Enable-KedaAksWorkloadIdentity.");

        private static CheckResult WorkloadIdentityFlag(State state) =>
            state.Cluster is null ? Skip("No AKS cluster was given.")
            : state.Cluster.WorkloadIdentityEnabled ? Pass("Workload identity is enabled: the webhook injects tokens into labelled pods.")
            : Result(string.Empty, CheckStatus.Fail, $"AKS cluster '{state.Cluster.Name}' has workload identity disabled: the webhook does not inject AZURE_CLIENT_ID or the token file into KEDA's pod.",
                "Enable-KedaAksWorkloadIdentity, then restart the keda-operator pod.");

        private async Task<CheckResult> ServiceAccountAsync(IntegrationRequest request, State state, CancellationToken cancellationToken)
        {
            if (state.Client is null)
            {
                return Skip("No cluster connection.");
            }

            V1ServiceAccount account;
            try
            {
                account = await state.Client.CoreV1.ReadNamespacedServiceAccountAsync(request.ServiceAccountName, request.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (HttpOperationException exception) when (exception.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                return Result(string.Empty, CheckStatus.Fail, $"Service account {request.Namespace}/{request.ServiceAccountName} does not exist.", "New-KedaServiceAccount, or install KEDA with Install-KedaHelm.");
            }

            state.ServiceAccountClientId = account.Metadata.Annotations?.TryGetValue("azure.workload.identity/client-id", out string? id) == true ? id : null;
            if (state.ServiceAccountClientId is null)
            {
                return Result(string.Empty, CheckStatus.Fail, $"Service account {request.Namespace}/{request.ServiceAccountName} has no azure.workload.identity/client-id annotation.", "New-KedaServiceAccount -ClientId <identity client id>.");
            }

            if (state.Identity?.ClientId is { } expected && !string.Equals(expected, state.ServiceAccountClientId, StringComparison.OrdinalIgnoreCase))
            {
                return Result(string.Empty, CheckStatus.Fail, $"Service account annotation client-id is '{state.ServiceAccountClientId}' but identity '{state.Identity.IdentityName}' has client id '{expected}'.",
                    "New-KedaServiceAccount -ClientId with the identity's ClientId.");
            }

            return Pass($"{request.Namespace}/{request.ServiceAccountName} is annotated with client id {state.ServiceAccountClientId}.");
        }

        private async Task<CheckResult> IdentityAsync(IntegrationRequest request, State state, CallContext call)
        {
            if (state.Identity?.IdentityResourceId is { } id)
            {
                state.IdentityFound = await _azure.GetIdentityAsync(id, call).ConfigureAwait(false);
                return state.IdentityFound is null
                    ? Result(string.Empty, CheckStatus.Fail, $"Identity '{state.Identity.IdentityName}' does not exist.", "New-KedaWorkloadIdentity.")
                    : Pass($"Identity '{state.Identity.IdentityName}' exists (client id {state.IdentityFound.ClientId}).");
            }

            string? clientId = state.ServiceAccountClientId;
            string? subscription = state.Cluster?.SubscriptionId ?? call.Azure.SubscriptionId;
            if (clientId is null || subscription is null)
            {
                return Skip("No identity was given, and none could be found from the service account's client id in a known subscription.");
            }

            state.IdentityFound = await _azure.FindIdentityByClientIdAsync(subscription, clientId, call).ConfigureAwait(false);
            if (state.IdentityFound is null)
            {
                return Result(string.Empty, CheckStatus.Fail, $"No user-assigned identity in subscription {subscription} has the client id {clientId} that KEDA's service account names.",
                    "Annotate the service account with the ClientId of the identity (New-KedaServiceAccount), or create it (New-KedaWorkloadIdentity).");
            }

            state.Identity = new WorkloadIdentity
            {
                IdentityName = state.IdentityFound.Name,
                IdentityResourceId = state.IdentityFound.Id,
                ClientId = clientId,
                TenantId = state.IdentityFound.TenantId,
                PrincipalId = state.IdentityFound.PrincipalId,
                ServiceAccountNamespace = request.Namespace,
                ServiceAccountName = request.ServiceAccountName,
            };
            return Pass($"Identity '{state.Identity.IdentityName}' found from the service account's client id.");
        }

        private async Task<CheckResult> FederatedCredentialAsync(IntegrationRequest request, State state, CallContext call)
        {
            if (state.IdentityFound is null || state.Identity?.IdentityResourceId is null)
            {
                return Skip("No identity to check.");
            }

            string? issuer = state.Cluster?.OidcIssuerUrl ?? state.Identity.Issuer;
            string subject = $"system:serviceaccount:{request.Namespace}:{request.ServiceAccountName}";
            string Audience = ArmApi.TokenExchangeAudience;
            string seen = "expected";
            // The assertion Entra actually saw, when the operator logged it, is the best evidence.
            Diagnosis? logged = null;
            try
            {
                logged = (await OperatorLogOf(request, state, call).ConfigureAwait(false))
                    .LastOrDefault(d => d.Code == DiagnosisCode.FederatedCredentialMismatch && d.Issuer is not null && d.Subject is not null);
            }
            catch (KedaAksException)
            {
            }

            if (logged is not null)
            {
                (issuer, subject, Audience, seen) = (logged.Issuer, logged.Subject!, logged.Audience ?? Audience, "logged by the operator");
            }
            if (issuer is null)
            {
                return Skip("The cluster's OIDC issuer is unknown (see ClusterOidcIssuer).");
            }

            IReadOnlyList<FederatedCredential> credentials = await _azure.ListFederatedCredentialsAsync(state.Identity.IdentityResourceId, call).ConfigureAwait(false);
            var compared = credentials.Select(c =>
            {
                string name = c.Name.Length > 0 ? c.Name : "?";
                string have = c.Issuer;
                string sub = c.Subject;
                string aud = string.Join(",", c.Audiences);
                var differences = new List<string>();
                if (!string.Equals(have, issuer, StringComparison.Ordinal))
                {
                    differences.Add($"issuer is '{have}', KEDA's token ({seen}) says '{issuer}'{Hint(have, issuer!)}");
                }

                if (!string.Equals(sub, subject, StringComparison.Ordinal))
                {
                    differences.Add($"subject is '{sub}', KEDA's token ({seen}) says '{subject}'{Hint(sub, subject)}");
                }

                if (!string.Equals(aud, Audience, StringComparison.Ordinal))
                {
                    differences.Add($"audience is '{aud}', KEDA's token ({seen}) says '{Audience}'");
                }

                return (Name: name, Differences: differences);
            }).OrderBy(c => c.Differences.Count).ToList();

            if (compared.Count == 0)
            {
                return Result(string.Empty, CheckStatus.Fail, $"Identity '{state.Identity.IdentityName}' has no federated credential.", "New-KedaWorkloadIdentity creates one for KEDA's service account.");
            }

            if (compared[0].Differences.Count == 0)
            {
                return Pass($"Federated credential '{compared[0].Name}' matches issuer {issuer}, subject {subject} and audience {Audience}.");
            }

            var diagnosis = new Diagnosis { Code = DiagnosisCode.FederatedCredentialMismatch, Issuer = issuer, Subject = subject, Audience = Audience };
            (diagnosis.Summary, diagnosis.Cause, diagnosis.Remedy) = Catalog.Describe(DiagnosisCode.FederatedCredentialMismatch);
            return new CheckResult
            {
                Status = CheckStatus.Fail,
                Message = "No federated credential matches KEDA's token: " + string.Join("; ", compared.Select(c => $"'{c.Name}': {string.Join(", ", c.Differences)}")) + ".",
                Remedy = $"New-KedaWorkloadIdentity -ServiceAccountNamespace {request.Namespace} -ServiceAccountName {request.ServiceAccountName} (issuer is taken from the cluster byte for byte).",
                Diagnosis = diagnosis,
            };
        }

        private static string Hint(string have, string want) =>
            string.Equals(have.TrimEnd('/'), want.TrimEnd('/'), StringComparison.Ordinal) ? " (the trailing slash differs)"
            : string.Equals(have, want, StringComparison.OrdinalIgnoreCase) ? " (only the case differs; matching is case-sensitive)"
            : string.Empty;

        private async Task<CheckResult> RoleAsync(IntegrationRequest request, State state, CallContext call)
        {
            string? principal = state.Identity?.PrincipalId ?? state.IdentityFound?.PrincipalId;
            string? workspace = request.WorkspaceId ?? state.Identity?.RoleAssignments.Select(r => r.Scope).FirstOrDefault(s => s.Contains("/providers/Microsoft.Monitor/accounts/", StringComparison.OrdinalIgnoreCase));
            if (principal is null)
            {
                return Skip("No identity to check.");
            }

            if (workspace is null)
            {
                return Skip("No Azure Monitor workspace was given (pass -MonitorWorkspace).");
            }

            List<RoleAssignment> roles = await _azure.RoleAssignmentsAtAsync(principal, workspace, call).ConfigureAwait(false);
            RoleAssignment? reader = roles.FirstOrDefault(r => r.RoleDefinitionId.EndsWith(ArmApi.MonitoringDataReaderRoleId, StringComparison.OrdinalIgnoreCase));
            if (reader is not null)
            {
                return Pass($"Monitoring Data Reader at {reader.Scope}.");
            }

            var diagnosis = new Diagnosis { Code = DiagnosisCode.MonitoringDataReaderMissing, PrincipalId = principal, Scope = workspace };
            (diagnosis.Summary, diagnosis.Cause, diagnosis.Remedy) = Catalog.Describe(DiagnosisCode.MonitoringDataReaderMissing);
            return new CheckResult
            {
                Status = CheckStatus.Fail,
                Message = $"Principal {principal} has no Monitoring Data Reader on '{workspace}' or above: KEDA's queries get 403.",
                Remedy = diagnosis.Remedy,
                Diagnosis = diagnosis,
            };
        }

        private async Task<CheckResult> KedaInstalledAsync(IntegrationRequest request, State state, CancellationToken cancellationToken)
        {
            if (state.Client is null)
            {
                return Skip("No cluster connection.");
            }

            V1DeploymentList deployments = await state.Client.AppsV1.ListNamespacedDeploymentAsync(request.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            var missing = KedaDeployments.Where(d => deployments.Items.All(x => x.Metadata.Name != d)).ToList();
            if (missing.Count == KedaDeployments.Length)
            {
                return Result(string.Empty, CheckStatus.Fail, $"KEDA is not installed in namespace '{request.Namespace}' (no {string.Join(", ", KedaDeployments)}).", "Install-KedaHelm.");
            }

            V1Deployment? operatorDeployment = deployments.Items.FirstOrDefault(d => d.Metadata.Name == "keda-operator");
            state.KedaVersion = Version.TryParse(KubernetesService.OperatorVersion(operatorDeployment)?.Split('-')[0], out Version? parsed) ? parsed : null;
            if (state.KedaVersion is not null && state.KedaVersion < new Version(2, 10))
            {
                return Result(string.Empty, CheckStatus.Fail, $"KEDA {state.KedaVersion} is installed; Azure Managed Prometheus needs KEDA 2.10 or later.", "Install-KedaHelm -Version 2.20.2 (or any 2.10+).");
            }

            var unavailable = deployments.Items.Where(d => KedaDeployments.Contains(d.Metadata.Name) && (d.Status?.AvailableReplicas ?? 0) < (d.Spec.Replicas ?? 1)).Select(d => d.Metadata.Name).ToList();
            if (missing.Count > 0 || unavailable.Count > 0)
            {
                return Result(string.Empty, CheckStatus.Fail, $"KEDA {state.KedaVersion} is incomplete:{(missing.Count > 0 ? $" missing {string.Join(", ", missing)};" : string.Empty)}{(unavailable.Count > 0 ? $" not available {string.Join(", ", unavailable)}" : string.Empty)}.",
                    "kubectl describe the deployments; reinstall with Install-KedaHelm.");
            }

            return Pass($"KEDA {state.KedaVersion?.ToString() ?? "(version unknown)"}: {string.Join(", ", KedaDeployments)} available.");
        }

        private async Task<CheckResult> InjectionAsync(IntegrationRequest request, State state, CancellationToken cancellationToken)
        {
            if (state.Client is null)
            {
                return Skip("No cluster connection.");
            }

            if (state.Cluster is { WorkloadIdentityEnabled: false })
            {
                return Skip("Workload identity is disabled on the cluster (see ClusterWorkloadIdentity): nothing can be injected.");
            }

            V1PodList pods = await state.Client.CoreV1.ListNamespacedPodAsync(request.Namespace, labelSelector: "app=keda-operator", cancellationToken: cancellationToken).ConfigureAwait(false);
            V1Pod? pod = pods.Items.FirstOrDefault();
            if (pod is null)
            {
                return Skip($"No keda-operator pod in '{request.Namespace}' (see KedaInstalled).");
            }

            state.OperatorPod = pod;
            var env = pod.Spec.Containers.SelectMany(c => c.Env ?? Array.Empty<V1EnvVar>()).GroupBy(e => e.Name).ToDictionary(g => g.Key, g => g.First().Value);
            var absent = new[] { "AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_FEDERATED_TOKEN_FILE", "AZURE_AUTHORITY_HOST" }.Where(n => !env.ContainsKey(n)).ToList();
            bool volume = pod.Spec.Volumes?.Any(v => v.Projected?.Sources?.Any(s => s.ServiceAccountToken?.Audience == ArmApi.TokenExchangeAudience) == true) == true;
            if (absent.Count > 0 || !volume)
            {
                var diagnosis = new Diagnosis { Code = DiagnosisCode.WorkloadIdentityNotInjected };
                (diagnosis.Summary, diagnosis.Cause, diagnosis.Remedy) = Catalog.Describe(DiagnosisCode.WorkloadIdentityNotInjected);
                bool labelled = pod.Metadata.Labels?.TryGetValue("azure.workload.identity/use", out string? use) == true && use == "true";
                return new CheckResult
                {
                    Status = CheckStatus.Fail,
                    Message = $"Pod {pod.Metadata.Name} lacks {string.Join(", ", absent.Concat(volume ? Array.Empty<string>() : new[] { "the projected token volume" }))}"
                        + (labelled ? "." : " and is not labelled azure.workload.identity/use=\"true\"."),
                    Remedy = labelled ? diagnosis.Remedy : "Install KEDA with podIdentity.azureWorkload.enabled=true (Install-KedaHelm), which labels the operator pod.",
                    Diagnosis = diagnosis,
                };
            }

            string? expected = state.Identity?.ClientId ?? state.ServiceAccountClientId;
            if (expected is not null && !string.Equals(env["AZURE_CLIENT_ID"], expected, StringComparison.OrdinalIgnoreCase))
            {
                return Result(string.Empty, CheckStatus.Fail, $"The operator pod runs with AZURE_CLIENT_ID {env["AZURE_CLIENT_ID"]}, not the identity's {expected}.", "Restart the keda-operator pod after fixing the service account annotation.");
            }

            return Pass($"Pod {pod.Metadata.Name} has the workload identity environment (client id {env["AZURE_CLIENT_ID"]}) and token volume.");
        }

        private async Task<CheckResult> ProvidersAsync(IntegrationRequest request, State state, CallContext call)
        {
            if (request.Connection is null || state.Client is null)
            {
                return Skip("No cluster connection.");
            }

            IReadOnlyList<KedaResource> auths;
            try
            {
                auths = (await _kubernetes.GetAsync(request.Connection, "TriggerAuthentication", null, call).ConfigureAwait(false))
                    .Concat(await _kubernetes.GetAsync(request.Connection, "ClusterTriggerAuthentication", null, call).ConfigureAwait(false)).ToList();
            }
            catch (KedaAksException exception) when (exception.ErrorId == "KedaNotInstalled")
            {
                return Skip("KEDA's CRDs are not installed.");
            }

            var removed = auths.OfType<TriggerAuthentication>().Where(a => a.Provider == PodIdentityProvider.Azure && (state.KedaVersion is null || state.KedaVersion >= new Version(2, 15))).ToList();
            if (removed.Count > 0)
            {
                return Result(string.Empty, CheckStatus.Fail, $"{string.Join(", ", removed.Select(a => a.ToString()))} use provider azure (AAD Pod Identity), removed in KEDA 2.15.", "Recreate them with -Provider AzureWorkload (New-KedaTriggerAuthentication).");
            }

            return Pass($"{auths.Count} TriggerAuthentication(s); every provider is supported by KEDA {state.KedaVersion?.ToString() ?? string.Empty}.".Replace("  ", " ", StringComparison.Ordinal));
        }

        private async Task<CheckResult> ScaledObjectsAsync(IntegrationRequest request, State state, CallContext call)
        {
            if (request.Connection is null)
            {
                return Skip("No cluster connection.");
            }

            IReadOnlyList<KedaResource> objects;
            try
            {
                objects = await _kubernetes.GetAsync(request.Connection, "ScaledObject", null, call).ConfigureAwait(false);
            }
            catch (KedaAksException exception) when (exception.ErrorId == "KedaNotInstalled")
            {
                return Skip("KEDA's CRDs are not installed.");
            }

            var notReady = objects.OfType<ScaledObject>().Where(o => o.Ready is "False").ToList();
            return notReady.Count == 0 ? Pass($"{objects.Count} ScaledObject(s); none reports Ready=False.")
                : Result(string.Empty, CheckStatus.Fail, $"Not ready: {string.Join("; ", notReady.Select(o => $"{o.Namespace}/{o.Name} ({o.Message})"))}.", "Get-KedaOperatorLog shows why; Resolve-KedaError explains a message.");
        }

        /// <summary>Log causes that a direct check already reports as failed (so one cause fails once).</summary>
        private static readonly Dictionary<DiagnosisCode, string[]> ExplainedBy = new()
        {
            [DiagnosisCode.FederatedCredentialMismatch] = new[] { "FederatedCredential", "ClusterOidcIssuer" },
            [DiagnosisCode.MonitoringDataReaderMissing] = new[] { "MonitoringDataReader" },
            [DiagnosisCode.WorkloadIdentityNotInjected] = new[] { "WorkloadIdentityInjection", "ClusterWorkloadIdentity", "ServiceAccount" },
            [DiagnosisCode.IdentityNotFound] = new[] { "WorkloadIdentity", "ServiceAccount" },
            [DiagnosisCode.PodIdentityProviderUnsupported] = new[] { "TriggerAuthenticationProviders" },
        };

        private async Task<CheckResult> OperatorLogAsync(IntegrationRequest request, State state, IReadOnlyList<CheckResult> earlier, CallContext call)
        {
            if (request.Connection is null || state.Client is null)
            {
                return Skip("No cluster connection.");
            }

            IReadOnlyList<Diagnosis> errors = await OperatorLogOf(request, state, call).ConfigureAwait(false);
            var known = errors.Where(e => e.Code != DiagnosisCode.Unknown).ToList();
            if (known.Count == 0)
            {
                return errors.Count == 0 ? Pass($"No operator errors in the last {request.LogWindow.TotalMinutes:0} minutes.")
                    : Result(string.Empty, CheckStatus.Warning, $"{errors.Count} operator error(s) with no known cause in the last {request.LogWindow.TotalMinutes:0} minutes.", "Get-KedaOperatorLog to read them.");
            }

            var failed = earlier.Where(r => r.Status == CheckStatus.Fail).Select(r => r.Check).ToHashSet(StringComparer.Ordinal);
            var unexplained = known.Where(e => !(ExplainedBy.TryGetValue(e.Code, out string[]? checks) && checks.Any(failed.Contains))).ToList();
            if (unexplained.Count == 0)
            {
                return Result(string.Empty, CheckStatus.Warning,
                    "Operator errors, explained by the failed checks above: " + string.Join("; ", known.Select(e => $"{e.Code} x{e.Count}")) + ".", "Fix the failed checks; KEDA recovers by itself.");
            }

            known = unexplained;
            Diagnosis top = known.OrderByDescending(e => e.Count).First();
            return new CheckResult
            {
                Status = CheckStatus.Fail,
                Message = "Operator errors: " + string.Join("; ", known.Select(e => $"{e.Code} x{e.Count}{(e.Name is null ? string.Empty : $" ({e.Namespace}/{e.Name})")}")) + ".",
                Remedy = top.Remedy,
                Diagnosis = top,
            };
        }

        private static CheckResult Pass(string message) => new() { Status = CheckStatus.Pass, Message = message };

        private static CheckResult Skip(string reason) => new() { Status = CheckStatus.Skipped, Message = reason };

        private static CheckResult Result(string check, CheckStatus status, string message, string? remedy) => new() { Check = check, Status = status, Message = message, Remedy = remedy };
    }
}
