using System.Collections.Generic;
using System.Text.Json.Nodes;

namespace KedaAks.Sandbox.Kubernetes
{
    /// <summary>A kind the stand-in serves: built in, or registered by a CustomResourceDefinition.</summary>
    public sealed record ResourceType(string Group, string Version, string Plural, string Kind, bool Namespaced, JsonObject? Schema = null)
    {
        public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

        /// <summary>How the API server names the resource in messages: "serviceaccounts", "scaledobjects.keda.sh".</summary>
        public string Qualified => Group.Length == 0 ? Plural : $"{Plural}.{Group}";
    }

    /// <summary>
    /// The kinds every sandbox cluster serves, in discovery order. A new built-in kind is one line here; a kind
    /// with behaviour (a rollout, an allocator) adds an <see cref="Controllers.IKubernetesController"/> as well.
    /// </summary>
    public static class BuiltInKinds
    {
        public static IReadOnlyList<ResourceType> All { get; } = new ResourceType[]
        {
            new("", "v1", "namespaces", "Namespace", false),
            new("", "v1", "serviceaccounts", "ServiceAccount", true),
            new("", "v1", "secrets", "Secret", true),
            new("", "v1", "configmaps", "ConfigMap", true),
            new("", "v1", "pods", "Pod", true),
            new("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false),
            new("", "v1", "services", "Service", true),
            new("", "v1", "endpoints", "Endpoints", true),
            new("", "v1", "events", "Event", true),
            new("apps", "v1", "deployments", "Deployment", true),
            new("apps", "v1", "replicasets", "ReplicaSet", true),
            new("apps", "v1", "statefulsets", "StatefulSet", true),
            new("autoscaling", "v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler", true),
            new("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", false),
            new("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", false),
            new("rbac.authorization.k8s.io", "v1", "roles", "Role", true),
            new("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding", true),
            new("apiregistration.k8s.io", "v1", "apiservices", "APIService", false),
            new("admissionregistration.k8s.io", "v1", "validatingwebhookconfigurations", "ValidatingWebhookConfiguration", false),
            new("admissionregistration.k8s.io", "v1", "mutatingwebhookconfigurations", "MutatingWebhookConfiguration", false),
            new("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", true),
            new("networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy", true),
        };
    }
}
