using System.Linq;
using System.Text.Json.Nodes;

namespace KedaAks.Sandbox.Kubernetes.Controllers
{
    /// <summary>The namespace lifecycle controller, at once: a deleted namespace takes every object in it.</summary>
    public sealed class NamespaceController : IKubernetesController
    {
        public void Deleted(ClusterStore store, ResourceType type, string name, JsonObject removed)
        {
            if (type.Plural != "namespaces")
            {
                return;
            }

            foreach (string child in store.Objects.Keys.Where(k => k.Split('|')[2] == name).ToList())
            {
                store.Objects.Remove(child);
                store.Owners.Remove(child);
            }
        }
    }
}
