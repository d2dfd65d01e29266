using System;
using System.Linq;
using System.Text.Json.Nodes;

namespace KedaAks.Sandbox.Kubernetes.Controllers
{
    /// <summary>What the azure-workload-identity mutating webhook does to a pod labelled azure.workload.identity/use: "true".</summary>
    public sealed class WorkloadIdentityWebhook
    {
        /// <summary>Whether the cluster runs the webhook (AKS securityProfile.workloadIdentity).</summary>
        public Func<bool> Enabled { get; set; } = () => false;

        /// <summary>The tenant injected when a service account names none.</summary>
        public string TenantId { get; set; } = string.Empty;

        public void Mutate(ClusterStore store, string ns, JsonObject pod)
        {
            if (pod["metadata"]?["labels"]?["azure.workload.identity/use"]?.GetValue<string>() != "true" || !Enabled())
            {
                return;
            }

            string account = pod["spec"]?["serviceAccountName"]?.GetValue<string>() ?? "default";
            JsonNode? annotations = store.Objects.TryGetValue(ClusterStore.Key(store.Kind("serviceaccounts"), ns, account), out JsonObject? sa) ? sa["metadata"]?["annotations"] : null;
            string? clientId = annotations?["azure.workload.identity/client-id"]?.GetValue<string>();
            string tenant = annotations?["azure.workload.identity/tenant-id"]?.GetValue<string>() ?? TenantId;
            foreach (JsonObject container in (pod["spec"]?["containers"] as JsonArray ?? new JsonArray()).OfType<JsonObject>())
            {
                JsonArray env = container["env"] as JsonArray ?? new JsonArray();
                container["env"] = env;
                if (clientId is not null)
                {
                    env.Add(new JsonObject { ["name"] = "AZURE_CLIENT_ID", ["value"] = clientId });
                }

                env.Add(new JsonObject { ["name"] = "AZURE_TENANT_ID", ["value"] = tenant });
                env.Add(new JsonObject { ["name"] = "AZURE_FEDERATED_TOKEN_FILE", ["value"] = "/var/run/secrets/azure/tokens/azure-identity-token" });
                env.Add(new JsonObject { ["name"] = "AZURE_AUTHORITY_HOST", ["value"] = "https://login.microsoftonline.com/" });
                JsonArray mounts = container["volumeMounts"] as JsonArray ?? new JsonArray();
                container["volumeMounts"] = mounts;
                mounts.Add(new JsonObject { ["name"] = "azure-identity-token", ["mountPath"] = "/var/run/secrets/azure/tokens", ["readOnly"] = true });
            }

            JsonArray volumes = pod["spec"]!["volumes"] as JsonArray ?? new JsonArray();
            pod["spec"]!["volumes"] = volumes;
            volumes.Add(new JsonObject
            {
                ["name"] = "azure-identity-token",
                ["projected"] = new JsonObject
                {
                    ["sources"] = new JsonArray(new JsonObject
                    {
                        ["serviceAccountToken"] = new JsonObject { ["audience"] = "api://AzureADTokenExchange", ["expirationSeconds"] = 3600, ["path"] = "azure-identity-token" },
                    }),
                },
            });
        }
    }
}
