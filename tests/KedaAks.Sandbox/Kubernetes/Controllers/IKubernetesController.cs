using System;
using System.Text.Json.Nodes;

namespace KedaAks.Sandbox.Kubernetes.Controllers
{
    /// <summary>
    /// A control loop of the simulated cluster, run synchronously under the store's lock: after every stored
    /// write, after every delete, and before every read (to finish what time has completed, e.g. a rollout).
    /// Register one with <see cref="KubernetesStandIn.AddController"/>; they run in registration order.
    /// </summary>
    public interface IKubernetesController
    {
        /// <summary>After an object is created or changed; <paramref name="stored"/> is the stored instance, so changes stay and are answered.</summary>
        void Written(ClusterStore store, ResourceType type, JsonObject stored)
        {
        }

        /// <summary>After an object was removed from the store.</summary>
        void Deleted(ClusterStore store, ResourceType type, string name, JsonObject removed)
        {
        }

        /// <summary>Before a read or a watch poll.</summary>
        void Refresh(ClusterStore store, DateTimeOffset now)
        {
        }
    }
}
