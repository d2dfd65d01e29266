using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;

namespace KedaAks.Sandbox.Kubernetes.Controllers
{
    /// <summary>
    /// A deployment controller and kubelet in one: the pods of a (re)written Deployment are replaced by new ones
    /// from its template (mutated by the workload identity webhook when it runs), its ReplicaSet is replaced, and
    /// pods, ReplicaSet and Deployment become ready when the simulated rollout ends.
    /// </summary>
    public sealed class DeploymentController : IKubernetesController
    {
        private readonly Dictionary<string, DateTimeOffset> _readyAt = new(StringComparer.Ordinal);
        private readonly WorkloadIdentityWebhook _webhook;

        public DeploymentController(WorkloadIdentityWebhook webhook) => _webhook = webhook;

        /// <summary>Deployments and pods become ready this long after a rollout starts.</summary>
        public TimeSpan RolloutDuration { get; set; } = TimeSpan.FromSeconds(1);

        public void Written(ClusterStore store, ResourceType type, JsonObject stored)
        {
            if (type.Plural == "deployments")
            {
                Rollout(store, stored);
            }
        }

        private void Rollout(ClusterStore store, JsonObject deployment)
        {
            string ns = deployment["metadata"]!["namespace"]!.GetValue<string>();
            string name = deployment["metadata"]!["name"]!.GetValue<string>();
            ResourceType pods = store.Kind("pods");
            string owner = deployment["metadata"]!["uid"]!.GetValue<string>();
            foreach (string key in OwnedBy(store, $"|pods|{ns}|", owner))
            {
                store.Objects.Remove(key);
            }

            int replicas = int.TryParse(deployment["spec"]?["replicas"]?.ToJsonString(), out int count) ? count : 1;
            string hash = Math.Abs((deployment["spec"]?["template"]?.ToJsonString() ?? string.Empty).GetHashCode()).ToString("x", CultureInfo.InvariantCulture).PadLeft(8, '0').Substring(0, 8);
            DateTimeOffset ready = DateTimeOffset.UtcNow + RolloutDuration;
            for (int i = 0; i < replicas; i++)
            {
                JsonObject template = deployment["spec"]?["template"]?.DeepClone() as JsonObject ?? new JsonObject();
                var pod = new JsonObject
                {
                    ["apiVersion"] = "v1", ["kind"] = "Pod",
                    ["metadata"] = template["metadata"]?.DeepClone() ?? new JsonObject(),
                    ["spec"] = template["spec"]?.DeepClone() ?? new JsonObject(),
                };
                string podName = $"{name}-{hash}-{Guid.NewGuid().ToString("N").Substring(0, 5)}";
                pod["metadata"]!["name"] = podName;
                ((JsonObject)pod["metadata"]!)["ownerReferences"] = new JsonArray(new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["name"] = name, ["uid"] = owner,
                    ["controller"] = true });
                pod["status"] = new JsonObject { ["phase"] = "Pending" };
                _webhook.Mutate(store, ns, pod);
                string key = ClusterStore.Key(pods, ns, podName);
                store.Put(key, store.Stamp(pod, created: true));
                _readyAt[key] = ready;
            }

            // The ReplicaSet for this template (what helm's readiness check looks up), replacing older ones.
            foreach (string key in OwnedBy(store, $"apps|replicasets|{ns}|", owner))
            {
                store.Objects.Remove(key);
                _readyAt.Remove(key);
            }

            string rsKey = ClusterStore.Key(store.Kind("replicasets"), ns, $"{name}-{hash}");
            store.Put(rsKey, store.Stamp(ReplicaSet(deployment, ns, name, owner, hash, replicas), created: true));
            _readyAt[rsKey] = ready;

            deployment["status"] = new JsonObject
            {
                ["observedGeneration"] = deployment["metadata"]!["generation"]?.DeepClone(), ["replicas"] = replicas, ["updatedReplicas"] = replicas, ["unavailableReplicas"] = replicas,
                ["conditions"] = new JsonArray(
                    new JsonObject { ["type"] = "Progressing", ["status"] = "True", ["reason"] = "ReplicaSetUpdated" },
                    new JsonObject { ["type"] = "Available", ["status"] = "False", ["reason"] = "MinimumReplicasUnavailable" }),
            };
            _readyAt[ClusterStore.Key(store.Kind("deployments"), ns, name)] = ready;
        }

        private static List<string> OwnedBy(ClusterStore store, string prefix, string owner) =>
            store.Objects.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal) && p.Value["metadata"]?["ownerReferences"]?[0]?["uid"]?.GetValue<string>() == owner)
                .Select(p => p.Key).ToList();

        private static JsonObject ReplicaSet(JsonObject deployment, string ns, string name, string owner, string hash, int replicas)
        {
            JsonObject rsTemplate = deployment["spec"]?["template"]?.DeepClone() as JsonObject ?? new JsonObject();
            JsonObject rsMetadata = rsTemplate["metadata"] as JsonObject ?? new JsonObject();
            rsTemplate["metadata"] = rsMetadata;
            JsonObject rsLabels = rsMetadata["labels"] as JsonObject ?? new JsonObject();
            rsMetadata["labels"] = rsLabels;
            rsLabels["pod-template-hash"] = hash;
            JsonObject selector = deployment["spec"]?["selector"]?.DeepClone() as JsonObject ?? new JsonObject();
            JsonObject matchLabels = selector["matchLabels"] as JsonObject ?? new JsonObject();
            selector["matchLabels"] = matchLabels;
            matchLabels["pod-template-hash"] = hash;
            return new JsonObject
            {
                ["apiVersion"] = "apps/v1", ["kind"] = "ReplicaSet",
                ["metadata"] = new JsonObject
                {
                    ["name"] = $"{name}-{hash}", ["namespace"] = ns, ["labels"] = rsLabels.DeepClone(),
                    ["ownerReferences"] = new JsonArray(new JsonObject
                    {
                        ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["name"] = name, ["uid"] = owner, ["controller"] = true, ["blockOwnerDeletion"] = true,
                    }),
                },
                ["spec"] = new JsonObject { ["replicas"] = replicas, ["selector"] = selector, ["template"] = rsTemplate },
                ["status"] = new JsonObject { ["replicas"] = replicas, ["observedGeneration"] = 1 },
            };
        }

        /// <summary>Finishes rollouts whose time has come: pods Running and Ready, ReplicaSets and Deployments Available.</summary>
        public void Refresh(ClusterStore store, DateTimeOffset now)
        {
            foreach (string key in _readyAt.Where(p => p.Value <= now).Select(p => p.Key).ToList())
            {
                _readyAt.Remove(key);
                if (!store.Objects.TryGetValue(key, out JsonObject? obj))
                {
                    continue;
                }

                int replicas = int.TryParse(obj["spec"]?["replicas"]?.ToJsonString(), out int count) ? count : 1;
                obj["status"] = obj["kind"]?.GetValue<string>() switch
                {
                    "Pod" => new JsonObject
                    {
                        ["phase"] = "Running",
                        ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True" }, new JsonObject { ["type"] = "ContainersReady", ["status"] = "True" }),
                        ["containerStatuses"] = new JsonArray((obj["spec"]?["containers"] as JsonArray ?? new JsonArray()).OfType<JsonObject>()
                            .Select(c => (JsonNode)new JsonObject { ["name"] = c["name"]?.DeepClone(), ["image"] = c["image"]?.DeepClone(), ["ready"] = true, ["restartCount"] = 0,
                                ["started"] = true })
                            .ToArray()),
                    },
                    "ReplicaSet" => new JsonObject
                    {
                        ["replicas"] = replicas, ["fullyLabeledReplicas"] = replicas, ["readyReplicas"] = replicas, ["availableReplicas"] = replicas, ["observedGeneration"] = 1,
                    },
                    _ => new JsonObject
                    {
                        ["observedGeneration"] = obj["metadata"]!["generation"]?.DeepClone(), ["replicas"] = replicas, ["updatedReplicas"] = replicas,
                        ["readyReplicas"] = replicas, ["availableReplicas"] = replicas,
                        ["conditions"] = new JsonArray(
                            new JsonObject { ["type"] = "Available", ["status"] = "True", ["reason"] = "MinimumReplicasAvailable" },
                            new JsonObject { ["type"] = "Progressing", ["status"] = "True", ["reason"] = "NewReplicaSetAvailable" }),
                    },
                };
                obj["metadata"]!["resourceVersion"] = store.NextResourceVersion();
            }
        }
    }
}
