using System.Text.Json.Nodes;

namespace KedaAks.Sandbox.Kubernetes
{
    /// <summary>
    /// A validating admission webhook of the simulated cluster: asked, under the store's lock, about every create, update, patch and
    /// apply (dry runs too) once the object passed its schema. Register one with <see cref="KubernetesStandIn.AddWebhook"/>.
    /// </summary>
    public interface IValidatingWebhook
    {
        /// <summary>Null allows the write; otherwise the API server's answer (<see cref="KubernetesStatus.WebhookDenied"/>).</summary>
        (int, JsonNode?)? Review(ClusterStore store, ResourceType type, string? ns, JsonObject obj);
    }
}
