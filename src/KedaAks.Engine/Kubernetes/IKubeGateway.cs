using k8s.Models;

namespace KedaAks.Engine.Kubernetes
{
    /// <summary>
    /// Every request KedaAks makes to a Kubernetes API server. Failures come back as <see cref="KedaAksException"/>
    /// only (API statuses through <see cref="KubernetesErrors"/>, network failures as ClusterUnreachable); "not
    /// found" is an answer (null or false) where callers expect it. Tests replace it with a fake.
    /// </summary>
    internal interface IKubeGateway
    {
        /// <summary>The API server's version (GitVersion): proves the connection and its credentials.</summary>
        Task<string> ServerVersionAsync(ClusterConnection connection, CallContext call);

        /// <summary>An object of a kind KedaAks applies, as JSON; null when absent.</summary>
        Task<JsonObject?> ReadAsync(ClusterConnection connection, KubeKind kind, string? ns, string name, KubeOperation operation, CallContext call);

        /// <summary>Server-side apply (field manager kedaaks); the object as stored, or as it would be for a dry run.</summary>
        Task<JsonObject> ApplyAsync(ClusterConnection connection, KubeKind kind, string? ns, string name, JsonObject body, bool dryRun, bool force, KubeOperation operation, CallContext call);

        /// <summary>Objects of a KEDA kind in a namespace, or in all when <paramref name="ns"/> is null; null when the API does not serve the kind.</summary>
        Task<IReadOnlyList<JsonObject>?> ListAsync(ClusterConnection connection, KubeKind kind, string? ns, KubeOperation operation, CallContext call);

        /// <summary>False when there was nothing to delete.</summary>
        Task<bool> DeleteAsync(ClusterConnection connection, KubeKind kind, string? ns, string name, KubeOperation operation, CallContext call);

        /// <summary>Whether a CustomResourceDefinition exists; null when the identity may not read it.</summary>
        Task<bool?> CrdExistsAsync(ClusterConnection connection, string name, KubeOperation operation, CallContext call);

        Task<V1ServiceAccount?> ReadServiceAccountAsync(ClusterConnection connection, string ns, string name, CallContext call);

        Task<IList<V1Deployment>> ListDeploymentsAsync(ClusterConnection connection, string ns, CallContext call);

        Task<IList<V1Pod>> ListPodsAsync(ClusterConnection connection, string ns, string labelSelector, KubeOperation operation, CallContext call);

        Task<Stream> ReadPodLogAsync(ClusterConnection connection, string ns, string pod, TimeSpan? since, int? tail, CallContext call);

        Task<IList<V1Secret>> ListSecretsAsync(ClusterConnection connection, string labelSelector, CallContext call);

        /// <summary>A bound service-account token (TokenRequest), as the kubelet projects it into a pod.</summary>
        Task<string> RequestTokenAsync(ClusterConnection connection, string ns, string name, string audience, CallContext call);
    }
}
