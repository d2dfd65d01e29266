using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace KedaAks.Sandbox.Arm.Providers
{
    /// <summary>Microsoft.ContainerService: the managed cluster (full PUT with eTag and Azure-AsyncOperation), its operations and its kubeconfigs.</summary>
    public sealed class ContainerServiceProvider : IArmResourceProvider
    {
        private readonly ArmStandIn _arm;
        /// <summary>Running cluster operations: polls so far and when each started. As in AKS, an operation ends with time, polled or not.</summary>
        private readonly Dictionary<string, (int Polls, DateTimeOffset Started)> _operations = new(StringComparer.OrdinalIgnoreCase);

        public ContainerServiceProvider(ArmStandIn arm) => _arm = arm;

        public string Namespace => "Microsoft.ContainerService";

        public IReadOnlyList<string> ApiVersions { get; } = new[] { "2025-10-01", "2026-01-01", "2026-06-01", "2026-07-01" };

        public (int, JsonNode?, Dictionary<string, string>?)? Subscription(ArmRequest request) =>
            request.Segments.Length >= 4 && request.Segments[2].Equals("providers", StringComparison.OrdinalIgnoreCase)
            && request.Segments[3].Equals(Namespace, StringComparison.OrdinalIgnoreCase) && request.Path.Contains("/operations/", StringComparison.OrdinalIgnoreCase)
                ? Operation(request.Segments[^1]) : null;

        public Task<(int, JsonNode?, Dictionary<string, string>?)?> ResourceAsync(ArmRequest request, string resourceId)
        {
            if (!request.Segments[6].Equals("managedClusters", StringComparison.OrdinalIgnoreCase))
            {
                return Task.FromResult<(int, JsonNode?, Dictionary<string, string>?)?>(null);
            }

            bool addon = request.Method == "PUT" && _arm.KedaAddonEnabledOf(resourceId);
            (int, JsonNode?, Dictionary<string, string>?) answer = Cluster(request.Method, resourceId, request.Segments, request.Body, request.Context);
            if (request.Method == "PUT" && answer.Item1 < 300 && _arm.KedaAddonEnabledOf(resourceId) != addon)
            {
                _arm.KedaAddonChanged?.Invoke(resourceId, !addon);
            }

            return Task.FromResult<(int, JsonNode?, Dictionary<string, string>?)?>(answer);
        }

        private (int, JsonNode?, Dictionary<string, string>?) Cluster(string method, string id, string[] segments, JsonNode? body, HttpContext context)
        {
            if (segments.Length == 9 && method == "POST")
            {
                return ClusterCredentials(id, segments[8]);
            }

            if (segments.Length != 8)
            {
                return ArmStandIn.Error(404, "InvalidResourceType", "Unknown managed cluster action.");
            }

            if (method == "GET")
            {
                Settle();
                return _arm.Read(id, "Microsoft.ContainerService/managedClusters");
            }

            if (method != "PUT")
            {
                return ArmStandIn.Error(405, "MethodNotAllowed", $"{method} is not supported here.");
            }

            Settle();
            lock (_arm.Lock)
            {
                if (!_arm.Resources.TryGetValue(ArmStandIn.Normalize(id), out JsonObject? current))
                {
                    return ArmStandIn.Error(400, "BadRequest", "Creating clusters is not supported by the sandbox.");
                }

                JsonObject currentProperties = current["properties"]!.AsObject();
                if (currentProperties["provisioningState"]?.GetValue<string>() is "Updating" or "Creating")
                {
                    return ArmStandIn.Error(409, "OperationNotAllowed", "Operation is not allowed because there's an in progress update managed cluster operation on the managed cluster. Please "
                        + "wait until the operation completes.");
                }

                string? ifMatch = context.Request.Headers.IfMatch;
                if (!string.IsNullOrEmpty(ifMatch) && ifMatch != current["eTag"]?.GetValue<string>())
                {
                    return ArmStandIn.Error(412, "PreconditionFailed", "Operation is not allowed because the eTag does not match.");
                }

                if (body?["properties"] is not JsonObject properties)
                {
                    return ArmStandIn.Error(400, "InvalidParameter", "The managed cluster body has no properties.");
                }

                bool oidc = properties["oidcIssuerProfile"]?["enabled"]?.GetValue<bool>() ?? false;
                bool wasOidc = currentProperties["oidcIssuerProfile"]?["enabled"]?.GetValue<bool>() ?? false;
                bool workloadIdentity = properties["securityProfile"]?["workloadIdentity"]?["enabled"]?.GetValue<bool>() ?? false;
                if (wasOidc && properties["oidcIssuerProfile"] is not null && !oidc)
                {
                    return ArmStandIn.Error(400, "BadRequest", "OIDC issuer feature cannot be disabled.");
                }

                if (workloadIdentity && !oidc && !wasOidc)
                {
                    return ArmStandIn.Error(400, "BadRequest", "Enabling workload identity requires enabling OIDC issuer (--enable-oidc-issuer).");
                }

                var updated = (JsonObject)current.DeepClone();
                JsonObject target = updated["properties"]!.AsObject();
                foreach (KeyValuePair<string, JsonNode?> pair in properties.ToList())
                {
                    if (pair.Key is not ("provisioningState" or "powerState" or "fqdn" or "currentKubernetesVersion"))
                    {
                        target[pair.Key] = pair.Value?.DeepClone();
                    }
                }

                target["oidcIssuerProfile"] = oidc || wasOidc ? new JsonObject { ["enabled"] = true, ["issuerURL"] = _arm.IssuerFor(id) } : new JsonObject { ["enabled"] = false };
                target["provisioningState"] = "Updating";
                updated["eTag"] = Guid.NewGuid().ToString("N").Substring(0, 8);
                _arm.Resources[ArmStandIn.Normalize(id)] = updated;
                string operation = Guid.NewGuid().ToString("D");
                _operations[operation] = (0, DateTimeOffset.UtcNow);
                return (200, updated.DeepClone(), new Dictionary<string, string>
                {
                    ["Azure-AsyncOperation"] = $"{_arm.BaseUrl()}/subscriptions/{_arm.Options.SubscriptionId}/providers/Microsoft.ContainerService/locations/{_arm.Options.Location}"
                        + $"/operations/{operation}?api-version=2016-03-30",
                    ["Retry-After"] = _arm.Options.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                });
            }
        }

        /// <summary>An operation lasts as long as its polls would take (polls × Retry-After), so one nobody polls (its caller was stopped) still ends.</summary>
        private bool Due(DateTimeOffset started) =>
            DateTimeOffset.UtcNow - started >= TimeSpan.FromSeconds(Math.Max(1, _arm.Options.ClusterOperationPolls * _arm.Options.RetryAfterSeconds));

        private void Settle()
        {
            lock (_arm.Lock)
            {
                if (_operations.Count > 0 && _operations.Values.All(o => o.Polls >= _arm.Options.ClusterOperationPolls || Due(o.Started)))
                {
                    foreach (JsonObject cluster in _arm.Resources.Values.Where(r => r["type"]?.GetValue<string>() == "Microsoft.ContainerService/ManagedClusters"))
                    {
                        if (cluster["properties"]?["provisioningState"]?.GetValue<string>() == "Updating")
                        {
                            cluster["properties"]!["provisioningState"] = "Succeeded";
                        }
                    }
                }
            }
        }

        private (int, JsonNode?, Dictionary<string, string>?) Operation(string operation)
        {
            lock (_arm.Lock)
            {
                if (!_operations.TryGetValue(operation, out (int Polls, DateTimeOffset Started) state))
                {
                    return ArmStandIn.Error(404, "NotFound", $"Operation {operation} not found.");
                }

                _operations[operation] = (++state.Polls, state.Started);
                if (state.Polls < _arm.Options.ClusterOperationPolls && !Due(state.Started))
                {
                    return (200, new JsonObject { ["name"] = operation, ["status"] = "InProgress", ["startTime"] = DateTimeOffset.UtcNow.ToString("o") },
                        new Dictionary<string, string> { ["Retry-After"] = _arm.Options.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) });
                }

                foreach (JsonObject cluster in _arm.Resources.Values.Where(r => r["type"]?.GetValue<string>() == "Microsoft.ContainerService/ManagedClusters"))
                {
                    cluster["properties"]!["provisioningState"] = "Succeeded";
                }

                return ArmStandIn.Ok(new JsonObject { ["name"] = operation, ["status"] = "Succeeded", ["startTime"] = DateTimeOffset.UtcNow.AddSeconds(-1).ToString("o"),
                    ["endTime"] = DateTimeOffset.UtcNow.ToString("o") });
            }
        }

        private (int, JsonNode?, Dictionary<string, string>?) ClusterCredentials(string id, string action)
        {
            JsonObject? cluster = _arm.Get(id);
            if (cluster is null)
            {
                return ArmStandIn.Error(404, "ResourceNotFound", $"The Resource 'Microsoft.ContainerService/managedClusters/{id.Split('/')[^1]}' under resource group '{id.Split('/')[4]}' "
                    + $"was not found.");
            }

            bool admin = action.Equals("listClusterAdminCredential", StringComparison.OrdinalIgnoreCase);
            if (admin && (cluster["properties"]?["disableLocalAccounts"]?.GetValue<bool>() ?? false))
            {
                return ArmStandIn.Error(400, "BadRequest", "Getting static credential is not allowed because this cluster is set to disable local accounts.");
            }

            if (!admin && !action.Equals("listClusterUserCredential", StringComparison.OrdinalIgnoreCase))
            {
                return ArmStandIn.Error(404, "InvalidResourceType", $"Unknown action '{action}'.");
            }

            string kubeconfig = _arm.KubeconfigProvider?.Invoke(id, admin) ?? "apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n";
            return ArmStandIn.Ok(new JsonObject
            {
                ["kubeconfigs"] = new JsonArray(new JsonObject { ["name"] = admin ? "clusterAdmin" : "clusterUser", ["value"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(kubeconfig)) }),
            });
        }

        public void Seed()
        {
            SandboxOptions o = _arm.Options;
            Store(new SandboxCluster(o.ClusterName, o.SubscriptionId, o.ResourceGroup)
            {
                Location = o.Location, KubernetesVersion = o.KubernetesVersion, OidcIssuerEnabled = o.OidcIssuerEnabled, WorkloadIdentityEnabled = o.WorkloadIdentityEnabled,
                KedaAddonEnabled = o.KedaAddonEnabled, Sku = o.ClusterSku,
            }, o.AadEnabled, o.LocalAccountsDisabled);
            foreach (SandboxCluster cluster in o.FleetClusters)
            {
                Store(cluster, aad: false, localAccountsDisabled: false);
            }
        }

        /// <summary>A managed cluster as ARM returns it, stored under its id.</summary>
        private void Store(SandboxCluster c, bool aad, bool localAccountsDisabled)
        {
            var properties = new JsonObject
            {
                ["provisioningState"] = "Succeeded",
                ["powerState"] = new JsonObject { ["code"] = "Running" },
                ["kubernetesVersion"] = c.KubernetesVersion,
                ["currentKubernetesVersion"] = c.KubernetesVersion,
                ["dnsPrefix"] = c.Name,
                ["fqdn"] = $"{c.Name}-dns-4f2a1c3b.hcp.{c.Location}.azmk8s.io",
                ["enableRBAC"] = true,
                ["agentPoolProfiles"] = new JsonArray(new JsonObject { ["name"] = "nodepool1", ["count"] = 3, ["vmSize"] = "Standard_DS2_v2", ["mode"] = "System", ["osType"] = "Linux" }),
                ["networkProfile"] = new JsonObject { ["networkPlugin"] = "azure", ["loadBalancerSku"] = "standard" },
                ["oidcIssuerProfile"] = c.OidcIssuerEnabled ? new JsonObject { ["enabled"] = true, ["issuerURL"] = _arm.IssuerFor(c.Id) } : new JsonObject { ["enabled"] = false },
                ["securityProfile"] = c.WorkloadIdentityEnabled ? new JsonObject { ["workloadIdentity"] = new JsonObject { ["enabled"] = true } } : new JsonObject(),
                ["workloadAutoScalerProfile"] = c.KedaAddonEnabled ? new JsonObject { ["keda"] = new JsonObject { ["enabled"] = true } } : new JsonObject(),
                ["disableLocalAccounts"] = localAccountsDisabled,
            };
            if (aad)
            {
                properties["aadProfile"] = new JsonObject { ["managed"] = true, ["enableAzureRBAC"] = true, ["tenantID"] = _arm.Options.TenantId };
            }

            _arm.Resources[ArmStandIn.Normalize(c.Id)] = new JsonObject
            {
                ["id"] = c.Id,
                ["name"] = c.Name,
                ["type"] = "Microsoft.ContainerService/ManagedClusters",
                ["location"] = c.Location,
                ["eTag"] = "a1b2c3d4",
                ["sku"] = new JsonObject { ["name"] = c.Sku, ["tier"] = c.Sku == "Automatic" ? "Standard" : "Free" },
                ["identity"] = new JsonObject { ["type"] = "SystemAssigned" },
                ["properties"] = properties,
            };
        }
    }
}
