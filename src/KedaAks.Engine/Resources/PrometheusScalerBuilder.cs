using System.Collections.ObjectModel;

namespace KedaAks.Engine.Resources
{
    /// <summary>
    /// Builds a ScaledObject with one prometheus trigger and refuses what KEDA v2.20 would refuse: the
    /// prometheus scaler's typed metadata (<c>pkg/scalers/prometheus_scaler.go</c>), the ScaledObject CRD
    /// and CEL rules, the admission webhook's name and replica rules, and the HPA's positive-target rule.
    /// </summary>
    internal static class PrometheusScalerBuilder
    {
        public const int DefaultMinReplicaCount = 0;
        public const int DefaultMaxReplicaCount = 100;
        public const int DefaultPollingInterval = 30;
        public const int DefaultCooldownPeriod = 300;

        /// <summary>Longest ScaledObject name whose HPA name <c>keda-hpa-&lt;name&gt;</c> still fits in 63 characters.</summary>
        public const int MaxNameWithDefaultHpa = 63 - 9;

        private static readonly string[] KnownKeys = PrometheusMetadataRules.KnownKeys;


        public static ScaledObject Build(PrometheusScalerRequest request, IKedaAksHost host)
        {
            var violations = new Violations();
            string name = request.Name ?? string.Empty;
            CheckObjectName(request, violations);
            CheckNamespace(request.Namespace, violations);
            (string targetKind, string targetApiVersion) = CheckTarget(request, violations);

            Dictionary<string, string> metadata = MergeMetadata(request, violations);
            PrometheusMetadataRules.Check(metadata, violations, host);
            string? metricType = CheckMetricType(request.MetricType, violations);

            int min = request.MinReplicaCount ?? DefaultMinReplicaCount;
            int max = request.MaxReplicaCount ?? DefaultMaxReplicaCount;
            int polling = request.PollingInterval ?? DefaultPollingInterval;
            int cooldown = request.CooldownPeriod ?? DefaultCooldownPeriod;
            CheckCounts(min, max, polling, cooldown, violations);
            CheckAuthentication(request, metadata, violations, host);

            violations.ThrowIfAny($"ScaledObject{(name.Length > 0 ? $" '{name}'" : string.Empty)}");

            var trigger = new ScaledObjectTrigger("prometheus", null, metricType, new ReadOnlyDictionary<string, string>(Order(metadata)), request.TriggerAuthentication);
            return new ScaledObject(name, request.Namespace, request.TargetName!, targetKind, targetApiVersion, min, max, polling, cooldown,
                request.HorizontalPodAutoscalerName, new[] { trigger });
        }

        private static void CheckObjectName(PrometheusScalerRequest request, Violations violations)
        {
            string? name = request.Name;
            if (string.IsNullOrWhiteSpace(name))
            {
                violations.Add("MissingName", name, "a ScaledObject needs a name.", "Pass -Name, e.g. -Name azure-managed-prometheus-scaler.");
                return;
            }

            if (KubernetesNames.CheckSubdomain(name!) is { } reason)
            {
                violations.Add("InvalidName", name, $"metadata.name {GoSyntax.Quote(name!)} is invalid: {reason}.",
                    "Use lower-case letters, digits, '-' and '.', starting and ending with a letter or digit.");
            }
            else if (name!.Length > KubernetesNames.LabelMaxLength)
            {
                violations.Add("NameTooLong", name,
                    $"ScaledObject name {GoSyntax.Quote(name)} has {name.Length} characters; KEDA's admission webhook allows at most {KubernetesNames.LabelMaxLength} (it becomes a label "
                    + $"value).", "Choose a shorter name.");
            }
            else if (request.HorizontalPodAutoscalerName is null && name.Length > MaxNameWithDefaultHpa)
            {
                violations.Add("NameTooLong", name,
                    $"ScaledObject name {GoSyntax.Quote(name)} has {name.Length} characters, so the HPA name \"keda-hpa-{name}\" would exceed {KubernetesNames.LabelMaxLength}; KEDA's "
                        + $"admission webhook rejects it.",
                    $"Use a name of at most {MaxNameWithDefaultHpa} characters, or set -HorizontalPodAutoscalerName.");
            }

            if (request.HorizontalPodAutoscalerName is { } hpa)
            {
                string? hpaReason = KubernetesNames.CheckSubdomain(hpa) ?? (hpa.Length > KubernetesNames.LabelMaxLength ? $"must be no more than {KubernetesNames.LabelMaxLength} characters" : null);
                if (hpaReason is not null)
                {
                    violations.Add("InvalidHorizontalPodAutoscalerName", hpa, $"HPA name {GoSyntax.Quote(hpa)} is invalid: {hpaReason}.", "Use a valid Kubernetes name of at most 63 characters.");
                }
            }
        }

        private static void CheckNamespace(string? ns, Violations violations)
        {
            if (ns is not null && KubernetesNames.CheckLabel(ns) is { } reason)
            {
                violations.Add("InvalidNamespace", ns, $"namespace {GoSyntax.Quote(ns)} is invalid: {reason}.", "Use the namespace of the workload to scale, e.g. -Namespace app.");
            }
        }

        private static (string Kind, string ApiVersion) CheckTarget(PrometheusScalerRequest request, Violations violations)
        {
            string? target = request.TargetName;
            if (string.IsNullOrWhiteSpace(target))
            {
                violations.Add("MissingTargetName", target, "spec.scaleTargetRef.name is required.", "Pass -TargetName with the name of the Deployment (or other workload) to scale.");
            }
            else if (KubernetesNames.CheckSubdomain(target!) is { } reason)
            {
                violations.Add("InvalidTargetName", target, $"spec.scaleTargetRef.name {GoSyntax.Quote(target!)} is invalid: {reason}.", "Pass the workload's exact Kubernetes name.");
            }

            string kind = string.IsNullOrWhiteSpace(request.TargetKind) ? "Deployment" : request.TargetKind!.Trim();
            if (string.Equals(kind, "Deployment", StringComparison.OrdinalIgnoreCase) || string.Equals(kind, "StatefulSet", StringComparison.OrdinalIgnoreCase))
            {
                kind = char.ToUpperInvariant(kind[0]) == 'D' ? "Deployment" : "StatefulSet";
                return (kind, string.IsNullOrWhiteSpace(request.TargetApiVersion) ? "apps/v1" : request.TargetApiVersion!.Trim());
            }

            if (kind.Length == 0 || !char.IsLetter(kind[0]) || !kind.All(char.IsLetterOrDigit))
            {
                violations.Add("InvalidTargetKind", kind, $"spec.scaleTargetRef.kind {GoSyntax.Quote(kind)} is not a Kubernetes kind.", "Pass a kind such as Deployment, StatefulSet or Rollout.");
            }

            if (string.IsNullOrWhiteSpace(request.TargetApiVersion))
            {
                violations.Add("MissingTargetApiVersion", kind, $"a scale target of kind {GoSyntax.Quote(kind)} needs its apiVersion; KEDA assumes apps/v1 only for Deployments.",
                    "Pass -TargetApiVersion, e.g. -TargetApiVersion argoproj.io/v1alpha1 for an Argo Rollout.");
                return (kind, string.Empty);
            }

            return (kind, request.TargetApiVersion!.Trim());
        }

        private static Dictionary<string, string> MergeMetadata(PrometheusScalerRequest request, Violations violations)
        {
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            if (request.Metadata is not null)
            {
                foreach (KeyValuePair<string, string?> pair in request.Metadata)
                {
                    string key = pair.Key;
                    string? known = KnownKeys.FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase));
                    if (string.IsNullOrWhiteSpace(key))
                    {
                        violations.Add("InvalidMetadataKey", key, "trigger metadata has an empty key.", "Remove it from -Metadata.");
                        continue;
                    }

                    if (known is not null && known != key)
                    {
                        violations.Add("InvalidMetadataKey", key,
                            $"metadata key {GoSyntax.Quote(key)} does not match KEDA's key {GoSyntax.Quote(known)}; KEDA matches keys case-sensitively and would not see it.",
                            $"Spell it '{known}'.");
                        continue;
                    }

                    if (pair.Value is null)
                    {
                        violations.Add("InvalidMetadataValue", key, $"metadata {GoSyntax.Quote(key)} has no value; KEDA's CRD requires every metadata value to be a string.",
                            "Give it a value, or remove the key.");
                        continue;
                    }

                    metadata[key] = pair.Value;
                }
            }

            Override(metadata, "serverAddress", request.ServerAddress);
            if (request.MonitorWorkspace is { } workspace)
            {
                if (string.IsNullOrWhiteSpace(workspace.PrometheusQueryEndpoint))
                {
                    violations.Add("MonitorWorkspaceHasNoQueryEndpoint", workspace.ResourceId ?? workspace.Name,
                        $"Azure Monitor workspace '{workspace.Name}' has no Prometheus query endpoint.",
                        "Pass a workspace from Get-KedaMonitorWorkspace, or its query endpoint with -ServerAddress.");
                }
                else
                {
                    metadata["serverAddress"] = workspace.PrometheusQueryEndpoint!;
                }
            }

            Override(metadata, "query", request.Query);
            Override(metadata, "threshold", request.Threshold);
            Override(metadata, "activationThreshold", request.ActivationThreshold);
            Override(metadata, "metricName", request.MetricName);
            return metadata;
        }

        private static void Override(Dictionary<string, string> metadata, string key, string? value)
        {
            if (value is not null)
            {
                metadata[key] = value;
            }
        }

        private static string? CheckMetricType(string? metricType, Violations violations)
        {
            if (string.IsNullOrWhiteSpace(metricType))
            {
                return null;
            }

            foreach (string allowed in new[] { "AverageValue", "Value" })
            {
                if (string.Equals(metricType, allowed, StringComparison.OrdinalIgnoreCase))
                {
                    return allowed;
                }
            }

            violations.Add("UnsupportedMetricType", metricType,
                string.Equals(metricType, "Utilization", StringComparison.OrdinalIgnoreCase)
                    ? "error getting scaler metric type: 'Utilization' metric type is unsupported for external metrics, allowed values are 'Value' or 'AverageValue'."
                    : $"spec.triggers[0].metricType: Unsupported value: {GoSyntax.Quote(metricType!)}: supported values: \"AverageValue\", \"Value\".",
                "Use -MetricType AverageValue (the default: the value is divided by the replica count) or Value.");
            return null;
        }

        private static void CheckCounts(int min, int max, int polling, int cooldown, Violations violations)
        {
            if (min < 0)
            {
                violations.Add("InvalidMinReplicaCount", min, $"spec.minReplicaCount: Invalid value: {min}: spec.minReplicaCount in body should be greater than or equal to 0.",
                    "Use 0 (scale to zero) or more.");
            }

            if (max < 1)
            {
                violations.Add("InvalidMaxReplicaCount", max, $"spec.maxReplicaCount: Invalid value: {max}: spec.maxReplicaCount in body should be greater than or equal to 1.", "Use 1 or more.");
            }

            if (min >= 0 && max >= 1 && min > max)
            {
                violations.Add("MinReplicaCountAboveMax", min, $"MinReplicaCount={min} must be less than MaxReplicaCount={max} (minReplicaCount must be less than or equal to maxReplicaCount).",
                    "Lower -MinReplicaCount or raise -MaxReplicaCount (KEDA's default maximum is 100).");
            }

            if (polling < 1)
            {
                violations.Add("InvalidPollingInterval", polling, $"spec.pollingInterval: Invalid value: {polling}: spec.pollingInterval in body should be greater than or equal to 1.",
                    "Use at least 1 second (KEDA's default is 30).");
            }

            if (cooldown < 0)
            {
                violations.Add("InvalidCooldownPeriod", cooldown, $"spec.cooldownPeriod: Invalid value: {cooldown}: spec.cooldownPeriod in body should be greater than or equal to 0.",
                    "Use 0 or more seconds (KEDA's default is 300).");
            }
        }

        private static void CheckAuthentication(PrometheusScalerRequest request, Dictionary<string, string> metadata, Violations violations, IKedaAksHost host)
        {
            TriggerAuthenticationReference? reference = request.TriggerAuthentication;
            if (reference is not null && KubernetesNames.CheckSubdomain(reference.Name) is { } reason)
            {
                violations.Add("InvalidTriggerAuthentication", reference.Name, $"authenticationRef.name {GoSyntax.Quote(reference.Name)} is invalid: {reason}.",
                    "Pass the name of an existing TriggerAuthentication.");
            }

            TriggerAuthentication? auth = reference?.Resource;
            if (auth is not null && !auth.IsClusterScoped && !string.Equals(auth.Namespace, request.Namespace, StringComparison.Ordinal))
            {
                violations.Add("TriggerAuthenticationNamespaceMismatch", auth.Name,
                    $"TriggerAuthentication '{auth.Name}' is in namespace '{auth.Namespace ?? "(current)"}' but the ScaledObject is in '{request.Namespace ?? "(current)"}'; KEDA looks up "
                        + $"authenticationRef in the ScaledObject's namespace.",
                    "Build both with the same -Namespace, or use a ClusterTriggerAuthentication (-Cluster).");
            }

            bool hasAuthModes = Present(metadata, "authModes") is not null || Present(metadata, "authMode") is not null;
            if (auth is not null && hasAuthModes && auth.Provider != PodIdentityProvider.None)
            {
                violations.Add("PodIdentityWithAuthModes", metadata.ContainsKey("authModes") ? metadata["authModes"] : metadata["authMode"],
                    $"pod identity cannot be enabled with other auth types (TriggerAuthentication '{auth.Name}' uses provider '{auth.ProviderName}' and the trigger sets authModes).",
                    "Remove authModes to use the pod identity (Azure Managed Prometheus), or use a TriggerAuthentication without podIdentity.");
            }

            if (PrometheusTrigger.IsAzureManagedPrometheus(Present(metadata, "serverAddress")))
            {
                if (reference is null)
                {
                    host.WriteWarning("serverAddress is an Azure Managed Prometheus endpoint, which needs an Entra token, but no -TriggerAuthentication is set: KEDA's queries would fail "
                        + "with 401. Pass a TriggerAuthentication with provider azure-workload.");
                }
                else if (auth is not null && auth.Provider != PodIdentityProvider.AzureWorkload)
                {
                    host.WriteWarning($"serverAddress is an Azure Managed Prometheus endpoint, but TriggerAuthentication '{auth.Name}' uses provider '{auth.ProviderName}'; KEDA "
                        + $"authenticates to Azure Monitor only with azure-workload.");
                }
            }
        }

        private static string? Present(Dictionary<string, string> metadata, string key) => PrometheusMetadataRules.Present(metadata, key);

        /// <summary>Known keys in KEDA's order, then any others alphabetically, so manifests are stable.</summary>
        internal static Dictionary<string, string> Order(Dictionary<string, string> metadata)
        {
            var ordered = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (string key in KnownKeys.Where(metadata.ContainsKey))
            {
                ordered[key] = metadata[key];
            }

            foreach (string key in metadata.Keys.Where(k => !ordered.ContainsKey(k)).OrderBy(k => k, StringComparer.Ordinal))
            {
                ordered[key] = metadata[key];
            }

            return ordered;
        }
    }
}
