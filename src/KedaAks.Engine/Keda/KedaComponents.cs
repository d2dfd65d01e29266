using k8s.Models;

namespace KedaAks.Engine.Keda
{
    /// <summary>
    /// What a KEDA installation consists of and when it counts as healthy: its three deployments, the operator's pod
    /// (by its label), the operator version from its image, and the workload identity the webhook injects.
    /// </summary>
    internal static class KedaComponents
    {
        public const string Operator = "keda-operator";

        /// <summary>KEDA's three deployments: the operator, the metrics API server and the admission webhooks.</summary>
        public static readonly IReadOnlyList<string> Deployments = new[] { Operator, "keda-operator-metrics-apiserver", "keda-admission-webhooks" };

        /// <summary>The label selector of the operator's pods.</summary>
        public const string OperatorPodSelector = "app=" + Operator;

        /// <summary>Namespaces KEDA lives in when none is named: the AKS add-on's, then the chart's usual one.</summary>
        public static readonly IReadOnlyList<string> LikelyNamespaces = new[] { "kube-system", "keda" };

        /// <summary>What the workload identity webhook adds to a pod's environment.</summary>
        public static readonly IReadOnlyList<string> InjectedVariables = new[] { "AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_FEDERATED_TOKEN_FILE", "AZURE_AUTHORITY_HOST" };

        /// <summary>The KEDA version a keda-operator deployment runs (no leading v): its image tag, else its app.kubernetes.io/version label.</summary>
        public static string? OperatorVersion(V1Deployment? deployment)
        {
            string? image = deployment?.Spec?.Template?.Spec?.Containers?.FirstOrDefault()?.Image;
            string? tag = image is not null && image.LastIndexOf(':') > image.LastIndexOf('/') ? image[(image.LastIndexOf(':') + 1)..]
                : deployment?.Metadata?.Labels?.TryGetValue("app.kubernetes.io/version", out string? label) == true ? label : null;
            return tag?.TrimStart('v');
        }

        public static V1Deployment? OperatorDeployment(IEnumerable<V1Deployment> deployments) => deployments.FirstOrDefault(d => d.Metadata.Name == Operator);

        /// <summary>Each of KEDA's deployments with its rollout state; a missing one has 0/0 (not available).</summary>
        public static List<KedaDeploymentStatus> Statuses(IEnumerable<V1Deployment> deployments)
        {
            var present = deployments.ToList();
            return Deployments.Select(name => present.FirstOrDefault(d => d.Metadata.Name == name) is { } deployment
                ? new KedaDeploymentStatus { Name = name, Replicas = deployment.Spec?.Replicas ?? 1, Available = deployment.Status?.AvailableReplicas ?? 0 }
                : new KedaDeploymentStatus { Name = name }).ToList();
        }

        /// <summary>The pod to judge the operator by: a running one, else any.</summary>
        public static V1Pod? OperatorPod(IEnumerable<V1Pod> pods)
        {
            var all = pods.ToList();
            return all.FirstOrDefault(p => p.Status?.Phase == "Running") ?? all.FirstOrDefault();
        }

        /// <summary>The pod's environment across its containers (the first value of a name wins).</summary>
        public static Dictionary<string, string> Environment(V1Pod? pod) =>
            (pod?.Spec?.Containers ?? new List<V1Container>()).SelectMany(c => c.Env ?? Array.Empty<V1EnvVar>()).GroupBy(e => e.Name).ToDictionary(g => g.Key, g => g.First().Value);

        /// <summary>What the workload identity webhook should have added to the pod and did not (empty when injected).</summary>
        public static List<string> MissingInjection(V1Pod pod)
        {
            Dictionary<string, string> env = Environment(pod);
            var absent = InjectedVariables.Where(n => !env.ContainsKey(n)).ToList();
            bool volume = pod.Spec?.Volumes?.Any(v => v.Projected?.Sources?.Any(s => s.ServiceAccountToken?.Audience == ArmApi.TokenExchangeAudience) == true) == true;
            if (!volume)
            {
                absent.Add("the projected token volume");
            }

            return absent;
        }

        /// <summary>Why an installation is not healthy, one sentence each (empty exactly when <see cref="IsHealthy"/> holds).</summary>
        public static List<string> Problems(IReadOnlyList<KedaDeploymentStatus> deployments, V1Pod? operatorPod, string? releaseStatus)
        {
            var problems = deployments.Where(d => !d.IsAvailable).Select(d => d.Replicas == 0 && d.Available == 0
                ? $"Deployment '{d.Name}' is missing or has no replicas."
                : $"Deployment '{d.Name}' has {d.Available} of {d.Replicas} replicas available.").ToList();
            if (operatorPod is null)
            {
                problems.Add($"No {Operator} pod was found (label {OperatorPodSelector}).");
            }
            else if (MissingInjection(operatorPod) is { Count: > 0 } missing)
            {
                problems.Add($"The workload identity webhook did not inject {string.Join(", ", missing)} into pod '{operatorPod.Metadata?.Name}': enable workload identity on the "
                    + "cluster, annotate the operator's service account and label its pods azure.workload.identity/use=true, then Restart-KedaOperator.");
            }

            if (releaseStatus is not null and not "deployed")
            {
                problems.Add($"The Helm release's status is '{releaseStatus}', not 'deployed'.");
            }

            return problems;
        }

        /// <summary>THE health rule: every deployment available, the identity injected into the operator pod, and (for Helm) the release deployed.</summary>
        public static bool IsHealthy(IReadOnlyList<KedaDeploymentStatus> deployments, V1Pod? operatorPod, string? releaseStatus) =>
            deployments.All(d => d.IsAvailable) && operatorPod is not null && MissingInjection(operatorPod).Count == 0 && (releaseStatus is null or "deployed");
    }
}
