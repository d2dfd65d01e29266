using System;
using System.Linq;
using System.Text.Json.Nodes;

namespace KedaAks.Sandbox.Kubernetes.Controllers
{
    /// <summary>apiextensions-apiserver: a written CRD's served versions become kinds (with their schemas) and it is Established; a deleted one takes its objects.</summary>
    public sealed class CustomResourceDefinitionController : IKubernetesController
    {
        public void Written(ClusterStore store, ResourceType type, JsonObject stored)
        {
            if (type.Plural == "customresourcedefinitions")
            {
                Establish(store, stored);
            }
        }

        public void Deleted(ClusterStore store, ResourceType type, string name, JsonObject removed)
        {
            if (type.Plural != "customresourcedefinitions")
            {
                return;
            }

            string group = removed["spec"]!["group"]!.GetValue<string>();
            string plural = removed["spec"]!["names"]!["plural"]!.GetValue<string>();
            store.Unserve(group, plural);
            foreach (string child in store.Objects.Keys.Where(k => k.StartsWith($"{group}|{plural}|", StringComparison.Ordinal)).ToList())
            {
                store.Objects.Remove(child);
            }
        }

        public static void Establish(ClusterStore store, JsonObject crd)
        {
            JsonNode spec = crd["spec"]!;
            string group = spec["group"]!.GetValue<string>();
            string plural = spec["names"]!["plural"]!.GetValue<string>();
            string kind = spec["names"]!["kind"]!.GetValue<string>();
            bool namespaced = spec["scope"]?.GetValue<string>() != "Cluster";
            store.Unserve(group, plural);
            foreach (JsonNode? version in spec["versions"]!.AsArray())
            {
                if (version?["served"]?.GetValue<bool>() != false)
                {
                    store.Serve(new ResourceType(group, version!["name"]!.GetValue<string>(), plural, kind, namespaced, version["schema"]?["openAPIV3Schema"]?.DeepClone() as JsonObject));
                }
            }

            crd["status"] = new JsonObject
            {
                ["conditions"] = new JsonArray(
                    new JsonObject { ["type"] = "NamesAccepted", ["status"] = "True", ["reason"] = "NoConflicts", ["message"] = "no conflicts found" },
                    new JsonObject { ["type"] = "Established", ["status"] = "True", ["reason"] = "InitialNamesAccepted", ["message"] = "the initial names have been accepted" }),
                ["acceptedNames"] = spec["names"]!.DeepClone(),
                ["storedVersions"] = new JsonArray(spec["versions"]!.AsArray().Where(v => v?["storage"]?.GetValue<bool>() == true)
                    .Select(v => (JsonNode)JsonValue.Create(v!["name"]!.GetValue<string>())!).ToArray()),
            };
        }
    }
}
