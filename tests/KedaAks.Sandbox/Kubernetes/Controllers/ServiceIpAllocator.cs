using System.Text.Json.Nodes;

namespace KedaAks.Sandbox.Kubernetes.Controllers
{
    /// <summary>The service IP allocator: a Service without clusterIP (and not ExternalName) gets one.</summary>
    public sealed class ServiceIpAllocator : IKubernetesController
    {
        public void Written(ClusterStore store, ResourceType type, JsonObject stored)
        {
            if (type.Plural == "services" && stored["spec"] is JsonObject spec && spec["clusterIP"] is null && spec["type"]?.GetValue<string>() != "ExternalName")
            {
                long version = store.ResourceVersion;
                string ip = $"10.0.{(version / 250) % 250}.{version % 250 + 2}";
                spec["clusterIP"] = ip;
                spec["clusterIPs"] = new JsonArray(ip);
                spec["type"] ??= "ClusterIP";
            }
        }
    }
}
