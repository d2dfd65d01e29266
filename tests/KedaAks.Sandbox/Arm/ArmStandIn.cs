using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using KedaAks.Sandbox.Arm.Providers;
using Microsoft.AspNetCore.Http;

namespace KedaAks.Sandbox.Arm
{
    /// <summary>
    /// Azure Resource Manager for the resources KedaAks touches, with the contracts, name rules, limits and
    /// error bodies of the real services (azure-rest-api-specs, ../shared/docs/azure-facts.md). This class holds
    /// the state and routes a request to its resource provider (Arm/Providers: managed clusters, identities and
    /// federated credentials, role assignments, Azure Monitor workspaces).
    /// </summary>
    public sealed class ArmStandIn
    {
        private static readonly string[] SubscriptionApiVersions = { "2022-12-01", "2020-01-01" };
        private readonly HashSet<string> _resourceGroups = new(StringComparer.OrdinalIgnoreCase);
        private readonly List<IArmResourceProvider> _providers = new();

        public ArmStandIn(SandboxOptions options, Func<string> baseUrl)
        {
            Options = options;
            BaseUrl = baseUrl;
            _resourceGroups.Add(options.ResourceGroup);
            foreach (SandboxCluster cluster in options.FleetClusters)
            {
                _resourceGroups.Add(cluster.ResourceGroup);
            }

            Principals[ClientPrincipalId] = DateTimeOffset.MinValue;
            AddProvider(new AuthorizationProvider(this));
            AddProvider(new ContainerServiceProvider(this));
            AddProvider(new ManagedIdentityProvider(this));
            AddProvider(new MonitorProvider(this));
            AddProvider(new ResourceGraphProvider(this));
        }

        /// <summary>Every subscription the signed-in app sees: the main one, then the fleet's (id → display name).</summary>
        public IReadOnlyDictionary<string, string> KnownSubscriptions
        {
            get
            {
                var known = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { [Options.SubscriptionId] = Options.SubscriptionName };
                foreach (KeyValuePair<string, string> pair in Options.Subscriptions)
                {
                    known.TryAdd(pair.Key, pair.Value);
                }

                return known;
            }
        }

        /// <summary>The one lock of ARM's state: providers take it around every read and write of it.</summary>
        internal object Lock { get; } = new();

        /// <summary>Every resource by its normalized (lower-case) id.</summary>
        internal Dictionary<string, JsonObject> Resources { get; } = new(StringComparer.OrdinalIgnoreCase);

        /// <summary>Principals Entra knows, with when each was created (for replication delays).</summary>
        internal Dictionary<string, DateTimeOffset> Principals { get; } = new(StringComparer.OrdinalIgnoreCase);

        /// <summary>When credentials and role assignments were last written (for propagation delays).</summary>
        internal Dictionary<string, DateTimeOffset> WrittenAt { get; } = new(StringComparer.OrdinalIgnoreCase);

        internal SandboxOptions Options { get; }

        internal Func<string> BaseUrl { get; }

        public IReadOnlyList<IArmResourceProvider> Providers => _providers;

        /// <summary>Adds a resource provider (tried after the ones before it) and stores its seeded resources.</summary>
        public void AddProvider(IArmResourceProvider provider)
        {
            lock (Lock)
            {
                _providers.Add(provider);
                provider.Seed();
            }
        }

        /// <summary>Object id of the app the module signs in as.</summary>
        public string ClientPrincipalId { get; } = "9d2e6c1a-5b0f-4c9e-8f3a-7e1d2c3b4a50";

        public string ClusterId => $"/subscriptions/{Options.SubscriptionId}/resourceGroups/{Options.ResourceGroup}/providers/Microsoft.ContainerService/managedClusters/{Options.ClusterName}";

        public string WorkspaceId => $"/subscriptions/{Options.SubscriptionId}/resourceGroups/{Options.ResourceGroup}/providers/Microsoft.Monitor/accounts/{Options.WorkspaceName}";

        /// <summary>The OIDC issuer the cluster gets when it is enabled (AKS's form, trailing slash included).</summary>
        public string IssuerUrl { get; } = "https://eastus.oic.prod-aks.azure.com/72f988bf-86f1-41af-91ab-2d7cd011db47/" + Guid.NewGuid().ToString("D") + "/";

        private readonly Dictionary<string, string> _issuers = new(StringComparer.OrdinalIgnoreCase);

        /// <summary>The OIDC issuer of a cluster: the main cluster's <see cref="IssuerUrl"/>, or one of its own for a fleet cluster (made once).</summary>
        public string IssuerFor(string clusterId)
        {
            if (Normalize(clusterId) == Normalize(ClusterId))
            {
                return IssuerUrl;
            }

            lock (Lock)
            {
                if (!_issuers.TryGetValue(Normalize(clusterId), out string? issuer))
                {
                    string location = Get(clusterId)?["location"]?.GetValue<string>() ?? Options.Location;
                    issuer = $"https://{location}.oic.prod-aks.azure.com/{Options.TenantId}/{Guid.NewGuid():D}/";
                    _issuers[Normalize(clusterId)] = issuer;
                }

                return issuer;
            }
        }

        public void AddResourceGroup(string name)
        {
            lock (Lock)
            {
                _resourceGroups.Add(name);
            }
        }

        /// <summary>A copy of every stored resource whose type ends with <paramref name="typeContains"/>, for tests that look for duplicates.</summary>
        public IReadOnlyList<JsonObject> Snapshot(string? typeContains = null)
        {
            lock (Lock)
            {
                return Resources.Values.Where(r => typeContains is null || (r["type"]?.GetValue<string>() ?? string.Empty).EndsWith(typeContains, StringComparison.OrdinalIgnoreCase))
                    .Select(r => (JsonObject)r.DeepClone()).ToList();
            }
        }

        public JsonObject? Get(string id)
        {
            lock (Lock)
            {
                return Resources.TryGetValue(Normalize(id), out JsonObject? value) ? (JsonObject)value.DeepClone() : null;
            }
        }

        public async Task<(int Status, JsonNode? Body, Dictionary<string, string>? Headers)> HandleAsync(HttpContext context, string path, JsonNode? body)
        {
            string method = context.Request.Method.ToUpperInvariant();
            string? apiVersion = context.Request.Query["api-version"];
            string[] segments = path.Trim('/').Split('/');
            string provider = ProviderOf(segments);
            if (string.IsNullOrEmpty(apiVersion))
            {
                return Error(400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.");
            }

            IReadOnlyList<string>? versions = provider == "subscriptions" ? SubscriptionApiVersions
                : _providers.FirstOrDefault(p => p.Namespace.Equals(provider, StringComparison.OrdinalIgnoreCase))?.ApiVersions;
            if (!path.Contains("/operations/", StringComparison.OrdinalIgnoreCase) && versions is not null && !versions.Contains(apiVersion))
            {
                return Error(400, "NoRegisteredProviderFound",
                    $"No registered resource provider found for location '{Options.Location}' and API version '{apiVersion}' for type '{provider}'. The supported api-versions are "
                        + $"'{string.Join(", ", versions)}'.");
            }

            var request = new ArmRequest(context, method, path, segments, body, apiVersion);
            if (segments[0].Equals("providers", StringComparison.OrdinalIgnoreCase))
            {
                foreach (IArmResourceProvider candidate in _providers)
                {
                    if (candidate.Tenant(request) is { } tenantAnswer)
                    {
                        return tenantAnswer;
                    }
                }
            }

            if (segments.Length == 1 && segments[0].Equals("subscriptions", StringComparison.OrdinalIgnoreCase) && method == "GET")
            {
                return Ok(new JsonObject { ["value"] = new JsonArray(KnownSubscriptions.Select(s => (JsonNode)SubscriptionBody(s.Key, s.Value)).ToArray()) });
            }

            if (segments.Length < 2 || !segments[0].Equals("subscriptions", StringComparison.OrdinalIgnoreCase))
            {
                return Error(404, "InvalidResourceType", $"The resource path '{path}' is not known here.");
            }

            if (!KnownSubscriptions.TryGetValue(segments[1], out string? subscriptionName))
            {
                return Error(404, "SubscriptionNotFound", $"The subscription '{segments[1]}' could not be found.");
            }

            if (segments.Length == 2 && method == "GET")
            {
                return Ok(SubscriptionBody(segments[1], subscriptionName));
            }

            foreach (IArmResourceProvider candidate in _providers)
            {
                if (candidate.Subscription(request) is { } answered)
                {
                    return answered;
                }
            }

            if (segments.Length < 8 || !segments[2].Equals("resourceGroups", StringComparison.OrdinalIgnoreCase))
            {
                return Error(404, "InvalidResourceType", $"The resource path '{path}' is not known here.");
            }

            bool groupExists;
            lock (Lock)
            {
                groupExists = _resourceGroups.Contains(segments[3]);
            }

            if (!groupExists)
            {
                return Error(404, "ResourceGroupNotFound", $"Resource group '{segments[3]}' could not be found.");
            }

            string resourceId = "/" + string.Join('/', segments.Take(8));
            IArmResourceProvider? owner = _providers.FirstOrDefault(p => p.Namespace.Equals(segments[5], StringComparison.OrdinalIgnoreCase));
            if (owner is not null && await owner.ResourceAsync(request, resourceId).ConfigureAwait(false) is { } result)
            {
                return result;
            }

            return Error(404, "InvalidResourceType", $"The resource type '{segments[5]}/{segments[6]}' could not be found in the namespace '{segments[5]}' for api version '{apiVersion}'.");
        }

        private JsonObject SubscriptionBody(string id, string name) => new()
        {
            ["id"] = $"/subscriptions/{id}", ["authorizationSource"] = "RoleBased", ["subscriptionId"] = id, ["tenantId"] = Options.TenantId, ["displayName"] = name,
            ["state"] = "Enabled", ["subscriptionPolicies"] = new JsonObject { ["locationPlacementId"] = "Public_2014-09-01", ["quotaId"] = "PayAsYouGo_2014-09-01",
                ["spendingLimit"] = "Off" },
        };

        /// <summary>The identity with this client id, if any.</summary>
        public JsonObject? IdentityByClientId(string clientId) =>
            Snapshot("userAssignedIdentities").FirstOrDefault(i => string.Equals(i["properties"]?["clientId"]?.GetValue<string>(), clientId, StringComparison.OrdinalIgnoreCase));

        /// <summary>Federated credentials of an identity with the time each was last written.</summary>
        public IReadOnlyList<(JsonObject Credential, DateTimeOffset WrittenAt)> Credentials(string identityId)
        {
            lock (Lock)
            {
                string prefix = Normalize(identityId) + "/federatedidentitycredentials/";
                return Resources.Where(p => p.Key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                    .Select(p => ((JsonObject)p.Value.DeepClone(), WrittenAt.TryGetValue(p.Key, out DateTimeOffset at) ? at : DateTimeOffset.MinValue)).ToList();
            }
        }

        /// <summary>Whether the principal holds a role (by role definition guid) at the scope or above it, and since when.</summary>
        public DateTimeOffset? RoleSince(string principalId, string scope, string roleGuid)
        {
            lock (Lock)
            {
                foreach (KeyValuePair<string, JsonObject> pair in Resources.Where(p => p.Value["type"]?.GetValue<string>() == "Microsoft.Authorization/roleAssignments"))
                {
                    JsonNode p = pair.Value["properties"]!;
                    string assignmentScope = p["scope"]!.GetValue<string>();
                    if (p["principalId"]!.GetValue<string>().Equals(principalId, StringComparison.OrdinalIgnoreCase)
                        && p["roleDefinitionId"]!.GetValue<string>().EndsWith(roleGuid, StringComparison.OrdinalIgnoreCase)
                        && scope.StartsWith(assignmentScope, StringComparison.OrdinalIgnoreCase))
                    {
                        return WrittenAt.TryGetValue(pair.Key, out DateTimeOffset at) ? at : DateTimeOffset.MinValue;
                    }
                }

                return null;
            }
        }

        /// <summary>Points the workspace's query endpoint at the sandbox (when a real Prometheus stands behind it).</summary>
        public void SetQueryEndpoint(string endpoint)
        {
            lock (Lock)
            {
                Resources[Normalize(WorkspaceId)]["properties"]!["metrics"]!["prometheusQueryEndpoint"] = endpoint;
            }
        }

        public bool WorkloadIdentityEnabled
        {
            get
            {
                lock (Lock)
                {
                    return Resources[Normalize(ClusterId)]["properties"]?["securityProfile"]?["workloadIdentity"]?["enabled"]?.GetValue<bool>() ?? false;
                }
            }
        }

        /// <summary>Whether AKS runs its KEDA add-on on the main cluster: workloadAutoScalerProfile.keda.enabled, or an AKS Automatic cluster.</summary>
        public bool KedaAddonEnabled => KedaAddonEnabledOf(ClusterId);

        /// <summary>Whether AKS runs its KEDA add-on on a cluster (false when there is no such cluster).</summary>
        public bool KedaAddonEnabledOf(string clusterId)
        {
            lock (Lock)
            {
                return Resources.TryGetValue(Normalize(clusterId), out JsonObject? cluster)
                    && ((cluster["properties"]?["workloadAutoScalerProfile"]?["keda"]?["enabled"]?.GetValue<bool>() ?? false)
                        || cluster["sku"]?["name"]?.GetValue<string>() == "Automatic");
            }
        }

        /// <summary>Whether a cluster has workload identity on (the webhook mutates its pods).</summary>
        public bool WorkloadIdentityEnabledOf(string clusterId)
        {
            lock (Lock)
            {
                return Resources.TryGetValue(Normalize(clusterId), out JsonObject? cluster)
                    && (cluster["properties"]?["securityProfile"]?["workloadIdentity"]?["enabled"]?.GetValue<bool>() ?? false);
            }
        }

        /// <summary>Called (outside the ARM lock) with the cluster's id when an update turns its KEDA add-on on or off; the sandbox deploys or removes it.</summary>
        public Action<string, bool>? KedaAddonChanged { get; set; }

        public bool OidcIssuerEnabled
        {
            get
            {
                lock (Lock)
                {
                    return Resources[Normalize(ClusterId)]["properties"]?["oidcIssuerProfile"]?["enabled"]?.GetValue<bool>() ?? false;
                }
            }
        }

        /// <summary>True for requests that change state (used for the write count).</summary>
        public static bool IsWrite(string method, string path) =>
            method is "PUT" or "PATCH" or "DELETE" || (method == "POST" && !path.Contains("/list", StringComparison.OrdinalIgnoreCase));

        /// <summary>The kubeconfig ARM hands out for a cluster (its resource id; admin or user credentials).</summary>
        public Func<string, bool, string>? KubeconfigProvider { get; set; }

        internal (int, JsonNode?, Dictionary<string, string>?) Read(string id, string type)
        {
            JsonObject? found = Get(id);
            return found is not null ? Ok(found)
                : Error(404, "ResourceNotFound", $"The Resource '{type}/{id.Split('/')[^1]}' under resource group '{ResourceGroupOf(id)}' was not found. For more details please go to "
                    + $"https://aka.ms/ARMResourceNotFoundFix");
        }

        private static string ProviderOf(string[] segments)
        {
            int providers = Array.FindLastIndex(segments, s => s.Equals("providers", StringComparison.OrdinalIgnoreCase));
            return providers >= 0 && providers + 1 < segments.Length ? segments[providers + 1] : "subscriptions";
        }

        private static string ResourceGroupOf(string id)
        {
            string[] parts = id.Split('/');
            int index = Array.FindIndex(parts, s => s.Equals("resourceGroups", StringComparison.OrdinalIgnoreCase));
            return index >= 0 && index + 1 < parts.Length ? parts[index + 1] : string.Empty;
        }

        internal static string Normalize(string id) => id.TrimEnd('/').ToLowerInvariant();

        internal static (int, JsonNode?, Dictionary<string, string>?) Ok(JsonNode body) => (200, body, null);

        public static (int, JsonNode?, Dictionary<string, string>?) Error(int status, string code, string message) =>
            (status, new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } }, null);
    }
}