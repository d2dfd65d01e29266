using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace KedaAks.Sandbox.Arm
{
    /// <summary>
    /// Azure Resource Manager for the resources KedaAks touches, with the contracts, name rules, limits and
    /// error bodies of the real services (azure-rest-api-specs, ../shared/docs/azure-facts.md): subscriptions,
    /// managed clusters (full PUT + Azure-AsyncOperation), user-assigned identities and federated credentials,
    /// role assignments, Azure Monitor workspaces.
    /// </summary>
    public sealed class ArmStandIn
    {
        private static readonly Regex CredentialName = new("^[a-zA-Z0-9][a-zA-Z0-9-_]{2,119}$");
        private static readonly Dictionary<string, string[]> ApiVersions = new(StringComparer.OrdinalIgnoreCase)
        {
            ["Microsoft.ContainerService"] = new[] { "2025-10-01", "2026-01-01", "2026-06-01", "2026-07-01" },
            ["Microsoft.ManagedIdentity"] = new[] { "2023-01-31", "2024-11-30" },
            ["Microsoft.Authorization"] = new[] { "2022-04-01" },
            ["Microsoft.Monitor"] = new[] { "2023-04-03" },
            ["subscriptions"] = new[] { "2022-12-01", "2020-01-01" },
        };

        private readonly SandboxOptions _options;
        private readonly object _lock = new();
        private readonly Dictionary<string, JsonObject> _resources = new(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, DateTimeOffset> _principals = new(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, int> _operations = new(StringComparer.OrdinalIgnoreCase);
        private readonly HashSet<string> _credentialWritesInFlight = new(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, DateTimeOffset> _writtenAt = new(StringComparer.OrdinalIgnoreCase);
        private readonly HashSet<string> _resourceGroups = new(StringComparer.OrdinalIgnoreCase);

        public ArmStandIn(SandboxOptions options, Func<string> baseUrl)
        {
            _options = options;
            BaseUrl = baseUrl;
            _resourceGroups.Add(options.ResourceGroup);
            _principals[ClientPrincipalId] = DateTimeOffset.MinValue;
            SeedCluster();
            SeedWorkspace();
        }

        private Func<string> BaseUrl { get; }

        /// <summary>Object id of the app the module signs in as.</summary>
        public string ClientPrincipalId { get; } = "9d2e6c1a-5b0f-4c9e-8f3a-7e1d2c3b4a50";

        public string ClusterId => $"/subscriptions/{_options.SubscriptionId}/resourceGroups/{_options.ResourceGroup}/providers/Microsoft.ContainerService/managedClusters/{_options.ClusterName}";

        public string WorkspaceId => $"/subscriptions/{_options.SubscriptionId}/resourceGroups/{_options.ResourceGroup}/providers/Microsoft.Monitor/accounts/{_options.WorkspaceName}";

        /// <summary>The OIDC issuer the cluster gets when it is enabled (AKS's form, trailing slash included).</summary>
        public string IssuerUrl { get; } = "https://eastus.oic.prod-aks.azure.com/72f988bf-86f1-41af-91ab-2d7cd011db47/" + Guid.NewGuid().ToString("D") + "/";

        public void AddResourceGroup(string name)
        {
            lock (_lock)
            {
                _resourceGroups.Add(name);
            }
        }

        /// <summary>A copy of every stored resource whose type ends with <paramref name="typeContains"/>, for tests that look for duplicates.</summary>
        public IReadOnlyList<JsonObject> Snapshot(string? typeContains = null)
        {
            lock (_lock)
            {
                return _resources.Values.Where(r => typeContains is null || (r["type"]?.GetValue<string>() ?? string.Empty).EndsWith(typeContains, StringComparison.OrdinalIgnoreCase))
                    .Select(r => (JsonObject)r.DeepClone()).ToList();
            }
        }

        public JsonObject? Get(string id)
        {
            lock (_lock)
            {
                return _resources.TryGetValue(Normalize(id), out JsonObject? value) ? (JsonObject)value.DeepClone() : null;
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

            if (!path.Contains("/operations/", StringComparison.OrdinalIgnoreCase) && ApiVersions.TryGetValue(provider, out string[]? versions) && !versions.Contains(apiVersion))
            {
                return Error(400, "NoRegisteredProviderFound", $"No registered resource provider found for location '{_options.Location}' and API version '{apiVersion}' for type '{provider}'. The supported api-versions are '{string.Join(", ", versions)}'.");
            }

            if (segments.Length < 2 || !segments[0].Equals("subscriptions", StringComparison.OrdinalIgnoreCase))
            {
                return Error(404, "InvalidResourceType", $"The resource path '{path}' is not known here.");
            }

            if (!segments[1].Equals(_options.SubscriptionId, StringComparison.OrdinalIgnoreCase))
            {
                return Error(404, "SubscriptionNotFound", $"The subscription '{segments[1]}' could not be found.");
            }

            if (segments.Length == 2 && method == "GET")
            {
                return Ok(new JsonObject
                {
                    ["id"] = $"/subscriptions/{_options.SubscriptionId}", ["subscriptionId"] = _options.SubscriptionId, ["tenantId"] = _options.TenantId,
                    ["displayName"] = _options.SubscriptionName, ["state"] = "Enabled",
                });
            }

            int authorization = IndexOf(segments, "Microsoft.Authorization");
            if (authorization > 0 && segments.Length > authorization + 1 && segments[authorization + 1].Equals("roleAssignments", StringComparison.OrdinalIgnoreCase))
            {
                string scope = "/" + string.Join('/', segments.Take(authorization - 1));
                return segments.Length == authorization + 2
                    ? ListRoleAssignments(scope, context.Request.Query["$filter"])
                    : RoleAssignment(method, scope, segments[authorization + 2], body);
            }

            if (segments.Length >= 4 && segments[2].Equals("providers", StringComparison.OrdinalIgnoreCase) && segments[3].Equals("Microsoft.ContainerService", StringComparison.OrdinalIgnoreCase)
                && path.Contains("/operations/", StringComparison.OrdinalIgnoreCase))
            {
                return Operation(segments[^1]);
            }

            if (segments.Length == 5 && segments[3].Equals("Microsoft.ManagedIdentity", StringComparison.OrdinalIgnoreCase) && segments[4].Equals("userAssignedIdentities", StringComparison.OrdinalIgnoreCase))
            {
                return Ok(new JsonObject { ["value"] = new JsonArray(Snapshot("Microsoft.ManagedIdentity/userAssignedIdentities").Select(w => (JsonNode)w).ToArray()) });
            }

            if (segments.Length == 5 && segments[3].Equals("Microsoft.Monitor", StringComparison.OrdinalIgnoreCase))
            {
                return Ok(new JsonObject { ["value"] = new JsonArray(Snapshot("Microsoft.Monitor/accounts").Select(w => (JsonNode)w).ToArray()) });
            }

            if (segments.Length < 8 || !segments[2].Equals("resourceGroups", StringComparison.OrdinalIgnoreCase))
            {
                return Error(404, "InvalidResourceType", $"The resource path '{path}' is not known here.");
            }

            bool groupExists;
            lock (_lock)
            {
                groupExists = _resourceGroups.Contains(segments[3]);
            }

            if (!groupExists)
            {
                return Error(404, "ResourceGroupNotFound", $"Resource group '{segments[3]}' could not be found.");
            }

            string type = $"{segments[5]}/{segments[6]}";
            string resourceId = "/" + string.Join('/', segments.Take(8));
            return type.ToLowerInvariant() switch
            {
                "microsoft.containerservice/managedclusters" => Cluster(method, resourceId, segments, body, context),
                "microsoft.managedidentity/userassignedidentities" when segments.Length == 8 => Identity(method, resourceId, body),
                "microsoft.managedidentity/userassignedidentities" when segments.Length >= 9 && segments[8].Equals("federatedIdentityCredentials", StringComparison.OrdinalIgnoreCase) =>
                    await FederatedCredential(method, resourceId, segments.Length > 9 ? segments[9] : null, body, context).ConfigureAwait(false),
                "microsoft.monitor/accounts" when method == "GET" => Read(resourceId, "Microsoft.Monitor/accounts"),
                _ => Error(404, "InvalidResourceType", $"The resource type '{type}' could not be found in the namespace '{segments[5]}' for api version '{apiVersion}'."),
            };
        }

        /// <summary>The identity with this client id, if any.</summary>
        public JsonObject? IdentityByClientId(string clientId) =>
            Snapshot("userAssignedIdentities").FirstOrDefault(i => string.Equals(i["properties"]?["clientId"]?.GetValue<string>(), clientId, StringComparison.OrdinalIgnoreCase));

        /// <summary>Federated credentials of an identity with the time each was last written.</summary>
        public IReadOnlyList<(JsonObject Credential, DateTimeOffset WrittenAt)> Credentials(string identityId)
        {
            lock (_lock)
            {
                string prefix = Normalize(identityId) + "/federatedidentitycredentials/";
                return _resources.Where(p => p.Key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                    .Select(p => ((JsonObject)p.Value.DeepClone(), _writtenAt.TryGetValue(p.Key, out DateTimeOffset at) ? at : DateTimeOffset.MinValue)).ToList();
            }
        }

        /// <summary>Whether the principal holds a role (by role definition guid) at the scope or above it, and since when.</summary>
        public DateTimeOffset? RoleSince(string principalId, string scope, string roleGuid)
        {
            lock (_lock)
            {
                foreach (KeyValuePair<string, JsonObject> pair in _resources.Where(p => p.Value["type"]?.GetValue<string>() == "Microsoft.Authorization/roleAssignments"))
                {
                    JsonNode p = pair.Value["properties"]!;
                    string assignmentScope = p["scope"]!.GetValue<string>();
                    if (p["principalId"]!.GetValue<string>().Equals(principalId, StringComparison.OrdinalIgnoreCase)
                        && p["roleDefinitionId"]!.GetValue<string>().EndsWith(roleGuid, StringComparison.OrdinalIgnoreCase)
                        && scope.StartsWith(assignmentScope, StringComparison.OrdinalIgnoreCase))
                    {
                        return _writtenAt.TryGetValue(pair.Key, out DateTimeOffset at) ? at : DateTimeOffset.MinValue;
                    }
                }

                return null;
            }
        }

        /// <summary>Points the workspace's query endpoint at the sandbox (when a real Prometheus stands behind it).</summary>
        public void SetQueryEndpoint(string endpoint)
        {
            lock (_lock)
            {
                _resources[Normalize(WorkspaceId)]["properties"]!["metrics"]!["prometheusQueryEndpoint"] = endpoint;
            }
        }

        public bool WorkloadIdentityEnabled
        {
            get
            {
                lock (_lock)
                {
                    return _resources[Normalize(ClusterId)]["properties"]?["securityProfile"]?["workloadIdentity"]?["enabled"]?.GetValue<bool>() ?? false;
                }
            }
        }

        public bool OidcIssuerEnabled
        {
            get
            {
                lock (_lock)
                {
                    return _resources[Normalize(ClusterId)]["properties"]?["oidcIssuerProfile"]?["enabled"]?.GetValue<bool>() ?? false;
                }
            }
        }

        /// <summary>True for requests that change state (used for the write count).</summary>
        public static bool IsWrite(string method, string path) =>
            method is "PUT" or "PATCH" or "DELETE" || (method == "POST" && !path.Contains("/list", StringComparison.OrdinalIgnoreCase));

        private (int, JsonNode?, Dictionary<string, string>?) Cluster(string method, string id, string[] segments, JsonNode? body, HttpContext context)
        {
            if (segments.Length == 9 && method == "POST")
            {
                return ClusterCredentials(id, segments[8]);
            }

            if (segments.Length != 8)
            {
                return Error(404, "InvalidResourceType", "Unknown managed cluster action.");
            }

            if (method == "GET")
            {
                return Read(id, "Microsoft.ContainerService/managedClusters");
            }

            if (method != "PUT")
            {
                return Error(405, "MethodNotAllowed", $"{method} is not supported here.");
            }

            lock (_lock)
            {
                if (!_resources.TryGetValue(Normalize(id), out JsonObject? current))
                {
                    return Error(400, "BadRequest", "Creating clusters is not supported by the sandbox.");
                }

                JsonObject currentProperties = current["properties"]!.AsObject();
                if (currentProperties["provisioningState"]?.GetValue<string>() is "Updating" or "Creating")
                {
                    return Error(409, "OperationNotAllowed", "Operation is not allowed because there's an in progress update managed cluster operation on the managed cluster. Please wait until the operation completes.");
                }

                string? ifMatch = context.Request.Headers.IfMatch;
                if (!string.IsNullOrEmpty(ifMatch) && ifMatch != current["eTag"]?.GetValue<string>())
                {
                    return Error(412, "PreconditionFailed", "Operation is not allowed because the eTag does not match.");
                }

                if (body?["properties"] is not JsonObject properties)
                {
                    return Error(400, "InvalidParameter", "The managed cluster body has no properties.");
                }

                bool oidc = properties["oidcIssuerProfile"]?["enabled"]?.GetValue<bool>() ?? false;
                bool wasOidc = currentProperties["oidcIssuerProfile"]?["enabled"]?.GetValue<bool>() ?? false;
                bool workloadIdentity = properties["securityProfile"]?["workloadIdentity"]?["enabled"]?.GetValue<bool>() ?? false;
                if (wasOidc && properties["oidcIssuerProfile"] is not null && !oidc)
                {
                    return Error(400, "BadRequest", "OIDC issuer feature cannot be disabled.");
                }

                if (workloadIdentity && !oidc && !wasOidc)
                {
                    return Error(400, "BadRequest", "Enabling workload identity requires enabling OIDC issuer (--enable-oidc-issuer).");
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

                target["oidcIssuerProfile"] = oidc || wasOidc ? new JsonObject { ["enabled"] = true, ["issuerURL"] = IssuerUrl } : new JsonObject { ["enabled"] = false };
                target["provisioningState"] = "Updating";
                updated["eTag"] = Guid.NewGuid().ToString("N").Substring(0, 8);
                _resources[Normalize(id)] = updated;
                string operation = Guid.NewGuid().ToString("D");
                _operations[operation] = 0;
                return (200, updated.DeepClone(), new Dictionary<string, string>
                {
                    ["Azure-AsyncOperation"] = $"{BaseUrl()}/subscriptions/{_options.SubscriptionId}/providers/Microsoft.ContainerService/locations/{_options.Location}/operations/{operation}?api-version=2016-03-30",
                    ["Retry-After"] = _options.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                });
            }
        }

        private (int, JsonNode?, Dictionary<string, string>?) Operation(string operation)
        {
            lock (_lock)
            {
                if (!_operations.TryGetValue(operation, out int polls))
                {
                    return Error(404, "NotFound", $"Operation {operation} not found.");
                }

                _operations[operation] = ++polls;
                if (polls < _options.ClusterOperationPolls)
                {
                    return (200, new JsonObject { ["name"] = operation, ["status"] = "InProgress", ["startTime"] = DateTimeOffset.UtcNow.ToString("o") },
                        new Dictionary<string, string> { ["Retry-After"] = _options.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) });
                }

                foreach (JsonObject cluster in _resources.Values.Where(r => r["type"]?.GetValue<string>() == "Microsoft.ContainerService/ManagedClusters"))
                {
                    cluster["properties"]!["provisioningState"] = "Succeeded";
                }

                return Ok(new JsonObject { ["name"] = operation, ["status"] = "Succeeded", ["startTime"] = DateTimeOffset.UtcNow.AddSeconds(-1).ToString("o"), ["endTime"] = DateTimeOffset.UtcNow.ToString("o") });
            }
        }

        private (int, JsonNode?, Dictionary<string, string>?) ClusterCredentials(string id, string action)
        {
            JsonObject? cluster = Get(id);
            if (cluster is null)
            {
                return Error(404, "ResourceNotFound", $"The Resource 'Microsoft.ContainerService/managedClusters/{id.Split('/')[^1]}' under resource group '{_options.ResourceGroup}' was not found.");
            }

            bool admin = action.Equals("listClusterAdminCredential", StringComparison.OrdinalIgnoreCase);
            if (admin && (cluster["properties"]?["disableLocalAccounts"]?.GetValue<bool>() ?? false))
            {
                return Error(400, "BadRequest", "Getting static credential is not allowed because this cluster is set to disable local accounts.");
            }

            if (!admin && !action.Equals("listClusterUserCredential", StringComparison.OrdinalIgnoreCase))
            {
                return Error(404, "InvalidResourceType", $"Unknown action '{action}'.");
            }

            string kubeconfig = KubeconfigProvider?.Invoke(admin) ?? "apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n";
            return Ok(new JsonObject
            {
                ["kubeconfigs"] = new JsonArray(new JsonObject { ["name"] = admin ? "clusterAdmin" : "clusterUser", ["value"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(kubeconfig)) }),
            });
        }

        /// <summary>Supplies the kubeconfig listCluster*Credential returns (the Kubernetes stand-in sets it).</summary>
        public Func<bool, string>? KubeconfigProvider { get; set; }

        private (int, JsonNode?, Dictionary<string, string>?) Identity(string method, string id, JsonNode? body)
        {
            lock (_lock)
            {
                string key = Normalize(id);
                switch (method)
                {
                    case "GET":
                        return Read(id, "Microsoft.ManagedIdentity/userAssignedIdentities");
                    case "DELETE":
                        if (!_resources.Remove(key))
                        {
                            return (204, null, null);
                        }

                        foreach (string child in _resources.Keys.Where(k => k.StartsWith(key + "/", StringComparison.OrdinalIgnoreCase)).ToList())
                        {
                            _resources.Remove(child);
                        }

                        return (200, null, null);
                    case "PUT":
                        string? location = body?["location"]?.GetValue<string>();
                        if (string.IsNullOrEmpty(location))
                        {
                            return Error(400, "LocationRequired", "The location property is required for this definition.");
                        }

                        if (_resources.TryGetValue(key, out JsonObject? existing))
                        {
                            if (body?["tags"] is JsonObject tags)
                            {
                                existing["tags"] = tags.DeepClone();
                            }

                            return (200, existing.DeepClone(), null);
                        }

                        string principal = Guid.NewGuid().ToString("D");
                        _principals[principal] = DateTimeOffset.UtcNow;
                        string name = id.Split('/')[^1];
                        var created = new JsonObject
                        {
                            ["id"] = id.Replace("/resourceGroups/", "/resourcegroups/", StringComparison.OrdinalIgnoreCase),
                            ["name"] = name,
                            ["type"] = "Microsoft.ManagedIdentity/userAssignedIdentities",
                            ["location"] = location,
                            ["tags"] = body?["tags"]?.DeepClone() ?? new JsonObject(),
                            ["properties"] = new JsonObject
                            {
                                ["tenantId"] = _options.TenantId, ["principalId"] = principal, ["clientId"] = Guid.NewGuid().ToString("D"), ["isolationScope"] = "None",
                            },
                        };
                        _resources[key] = created;
                        return (201, created.DeepClone(), new Dictionary<string, string> { ["Location"] = created["id"]!.GetValue<string>() });
                    default:
                        return Error(405, "MethodNotAllowed", $"{method} is not supported here.");
                }
            }
        }

        private async Task<(int, JsonNode?, Dictionary<string, string>?)> FederatedCredential(string method, string identityId, string? name, JsonNode? body, HttpContext context)
        {
            string identityKey = Normalize(identityId);
            if (name is null)
            {
                if (method != "GET")
                {
                    return Error(405, "MethodNotAllowed", $"{method} is not supported here.");
                }

                lock (_lock)
                {
                    if (!_resources.ContainsKey(identityKey))
                    {
                        return Error(404, "ParentResourceNotFound", "The parent user-assigned identity doesn't exist.");
                    }

                    // Pages of 10 with $skipToken, as the real service pages.
                    List<JsonObject> all = Children(identityKey).OrderBy(c => c["name"]!.GetValue<string>(), StringComparer.OrdinalIgnoreCase).ToList();
                    int skip = int.TryParse(context.Request.Query["$skipToken"], out int s) ? s : 0;
                    var page = new JsonObject { ["value"] = new JsonArray(all.Skip(skip).Take(10).Select(c => (JsonNode)c.DeepClone()).ToArray()) };
                    if (skip + 10 < all.Count)
                    {
                        page["nextLink"] = $"{BaseUrl()}{identityId}/federatedIdentityCredentials?api-version={context.Request.Query["api-version"]}&$skipToken={skip + 10}";
                    }

                    return Ok(page);
                }
            }

            string id = $"{identityId}/federatedIdentityCredentials/{name}";
            string key = Normalize(id);
            if (method == "GET")
            {
                return Read(id, "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials");
            }

            if (method == "DELETE")
            {
                lock (_lock)
                {
                    return _resources.Remove(key) ? (200, null, null) : (204, null, null);
                }
            }

            if (method != "PUT")
            {
                return Error(405, "MethodNotAllowed", $"{method} is not supported here.");
            }

            if (!CredentialName.IsMatch(name))
            {
                return Error(400, "BadRequest", $"Federated Identity Credential name '{name}' is invalid.");
            }

            lock (_lock)
            {
                if (!_resources.ContainsKey(identityKey))
                {
                    return Error(404, "ParentResourceNotFound", "The parent user-assigned identity doesn't exist.");
                }

                bool forced = _options.ForcedCredentialConflicts > 0;
                if (forced)
                {
                    _options.ForcedCredentialConflicts--;
                }

                if (forced || !_credentialWritesInFlight.Add(identityKey))
                {
                    return Error(409, "ConcurrentFederatedIdentityCredentialsWritesForSingleManagedIdentity",
                        $"Too many Federated Identity Credentials are written concurrently for the managed identity '{identityId.ToLowerInvariant()}'. Concurrent Federated Identity Credentials writes under the same managed identity are not supported.");
                }
            }

            try
            {
                await Task.Delay(_options.CredentialWriteDuration).ConfigureAwait(false);
                lock (_lock)
                {
                    JsonNode? p = body?["properties"];
                    string? issuer = p?["issuer"]?.GetValue<string>();
                    string? subject = p?["subject"]?.GetValue<string>();
                    if (p is null)
                    {
                        return Error(400, "BadRequest", "Federated Identity Credential from HTTP body has empty properties");
                    }

                    if (string.IsNullOrEmpty(issuer) || string.IsNullOrEmpty(subject) || p["audiences"] is not JsonArray audiences)
                    {
                        return Error(400, "BadRequest", "The request format was unexpected. Federated Identity Credential must specify 'issuer', 'subject' and 'audience'.");
                    }

                    if (audiences.Count != 1)
                    {
                        return Error(400, "BadRequest", "Federated identity credentials must have exactly one audience.");
                    }

                    if (!Uri.TryCreate(issuer, UriKind.Absolute, out Uri? issuerUri) || issuerUri.Scheme != Uri.UriSchemeHttps || issuer.Length > 600 || subject.Length > 600)
                    {
                        return Error(400, "BadRequest", "The issuer must be an https URL of at most 600 characters, and the subject at most 600 characters.");
                    }

                    List<JsonObject> siblings = Children(identityKey).ToList();
                    if (siblings.Any(c => !c["name"]!.GetValue<string>().Equals(name, StringComparison.OrdinalIgnoreCase)
                        && c["properties"]!["issuer"]!.GetValue<string>() == issuer && c["properties"]!["subject"]!.GetValue<string>() == subject))
                    {
                        return Error(400, "BadRequest", "Issuer and subject combination already exists for this Managed Identity.");
                    }

                    bool exists = _resources.ContainsKey(key);
                    if (!exists && siblings.Count >= 20)
                    {
                        return Error(400, "BadRequest", "The maximum number of 20 Federated Identity Credentials per Managed Identity has been reached.");
                    }

                    var credential = new JsonObject
                    {
                        ["id"] = id.Replace("/resourceGroups/", "/resourcegroups/", StringComparison.OrdinalIgnoreCase),
                        ["name"] = name,
                        ["type"] = "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials",
                        ["properties"] = new JsonObject { ["issuer"] = issuer, ["subject"] = subject, ["audiences"] = audiences.DeepClone() },
                    };
                    _resources[key] = credential;
                    _writtenAt[key] = DateTimeOffset.UtcNow;
                    return (exists ? 200 : 201, credential.DeepClone(), null);
                }
            }
            finally
            {
                lock (_lock)
                {
                    _credentialWritesInFlight.Remove(identityKey);
                }
            }
        }

        private (int, JsonNode?, Dictionary<string, string>?) RoleAssignment(string method, string scope, string name, JsonNode? body)
        {
            string id = $"{scope}/providers/Microsoft.Authorization/roleAssignments/{name}";
            string key = Normalize(id);
            lock (_lock)
            {
                switch (method)
                {
                    case "GET":
                        return _resources.TryGetValue(key, out JsonObject? found) ? Ok(found.DeepClone())
                            : Error(404, "RoleAssignmentNotFound", $"The role assignment '{name}' is not found.");
                    case "DELETE":
                        return _resources.Remove(key, out JsonObject? removed) ? Ok(removed) : (204, null, null);
                    case "PUT":
                        if (!Guid.TryParse(name, out _))
                        {
                            return Error(400, "InvalidRoleAssignmentId", $"The role assignment ID '{name}' is not valid. The role assignment ID must be a GUID.");
                        }

                        string? role = body?["properties"]?["roleDefinitionId"]?.GetValue<string>();
                        string? principal = body?["properties"]?["principalId"]?.GetValue<string>();
                        string? principalType = body?["properties"]?["principalType"]?.GetValue<string>();
                        if (string.IsNullOrEmpty(role) || string.IsNullOrEmpty(principal))
                        {
                            return Error(400, "InvalidRoleAssignmentRequest", "roleDefinitionId and principalId are required.");
                        }

                        bool known = _principals.TryGetValue(principal, out DateTimeOffset createdAt);
                        if (!known || ((principalType is null || _options.StrictPrincipalReplication) && DateTimeOffset.UtcNow - createdAt < _options.PrincipalReplicationDelay))
                        {
                            return Error(400, "PrincipalNotFound",
                                $"Principal {principal.Replace("-", string.Empty)} does not exist in the directory {_options.TenantId}. Check that you have the correct principal ID. If you are creating this principal and then immediately assigning a role, this error might be related to a replication delay. In this case, set the role assignment principalType property to a value, such as ServicePrincipal, User, or Group.  See https://aka.ms/docs-principaltype");
                        }

                        string roleGuid = role.Split('/')[^1];
                        if (_resources.TryGetValue(key, out JsonObject? current))
                        {
                            JsonNode p = current["properties"]!;
                            bool same = p["principalId"]!.GetValue<string>().Equals(principal, StringComparison.OrdinalIgnoreCase)
                                && p["roleDefinitionId"]!.GetValue<string>().EndsWith(roleGuid, StringComparison.OrdinalIgnoreCase);
                            return same ? (201, current.DeepClone(), null)
                                : Error(400, "RoleAssignmentUpdateNotPermitted", "Tenant ID, application ID, principal ID, and scope are not allowed to be updated.");
                        }

                        if (_resources.Values.Any(r => r["type"]?.GetValue<string>() == "Microsoft.Authorization/roleAssignments"
                            && r["properties"]!["scope"]!.GetValue<string>().Equals(scope, StringComparison.OrdinalIgnoreCase)
                            && r["properties"]!["principalId"]!.GetValue<string>().Equals(principal, StringComparison.OrdinalIgnoreCase)
                            && r["properties"]!["roleDefinitionId"]!.GetValue<string>().EndsWith(roleGuid, StringComparison.OrdinalIgnoreCase)))
                        {
                            return Error(409, "RoleAssignmentExists", "The role assignment already exists.");
                        }

                        var assignment = new JsonObject
                        {
                            ["id"] = id,
                            ["name"] = name,
                            ["type"] = "Microsoft.Authorization/roleAssignments",
                            ["properties"] = new JsonObject
                            {
                                ["roleDefinitionId"] = role, ["principalId"] = principal, ["principalType"] = principalType ?? "User", ["scope"] = scope,
                                ["createdOn"] = DateTimeOffset.UtcNow.ToString("o"), ["updatedOn"] = DateTimeOffset.UtcNow.ToString("o"),
                            },
                        };
                        _resources[key] = assignment;
                        _writtenAt[key] = DateTimeOffset.UtcNow;
                        return (201, assignment.DeepClone(), null);
                    default:
                        return Error(405, "MethodNotAllowed", $"{method} is not supported here.");
                }
            }
        }

        private (int, JsonNode?, Dictionary<string, string>?) ListRoleAssignments(string scope, string? filter)
        {
            string? principal = filter is null ? null : Regex.Match(filter, "principalId eq '([^']+)'", RegexOptions.IgnoreCase) is { Success: true } m ? m.Groups[1].Value : null;
            lock (_lock)
            {
                IEnumerable<JsonObject> matches = _resources.Values.Where(r => r["type"]?.GetValue<string>() == "Microsoft.Authorization/roleAssignments")
                    .Where(r =>
                    {
                        string assignmentScope = r["properties"]!["scope"]!.GetValue<string>();
                        // Assignments at the scope, above it (inherited) and, for principal filters, below it.
                        bool related = assignmentScope.StartsWith(scope, StringComparison.OrdinalIgnoreCase) || scope.StartsWith(assignmentScope, StringComparison.OrdinalIgnoreCase);
                        return related && (principal is null || r["properties"]!["principalId"]!.GetValue<string>().Equals(principal, StringComparison.OrdinalIgnoreCase));
                    });
                return Ok(new JsonObject { ["value"] = new JsonArray(matches.Select(r => (JsonNode)r.DeepClone()).ToArray()) });
            }
        }

        private (int, JsonNode?, Dictionary<string, string>?) Read(string id, string type)
        {
            JsonObject? found = Get(id);
            return found is not null ? Ok(found)
                : Error(404, "ResourceNotFound", $"The Resource '{type}/{id.Split('/')[^1]}' under resource group '{ResourceGroupOf(id)}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix");
        }

        private IEnumerable<JsonObject> Children(string identityKey) =>
            _resources.Where(p => p.Key.StartsWith(identityKey + "/federatedidentitycredentials/", StringComparison.OrdinalIgnoreCase)).Select(p => p.Value);

        private void SeedCluster()
        {
            var properties = new JsonObject
            {
                ["provisioningState"] = "Succeeded",
                ["powerState"] = new JsonObject { ["code"] = "Running" },
                ["kubernetesVersion"] = _options.KubernetesVersion,
                ["currentKubernetesVersion"] = _options.KubernetesVersion,
                ["dnsPrefix"] = _options.ClusterName,
                ["fqdn"] = $"{_options.ClusterName}-dns-4f2a1c3b.hcp.{_options.Location}.azmk8s.io",
                ["enableRBAC"] = true,
                ["agentPoolProfiles"] = new JsonArray(new JsonObject { ["name"] = "nodepool1", ["count"] = 3, ["vmSize"] = "Standard_DS2_v2", ["mode"] = "System", ["osType"] = "Linux" }),
                ["networkProfile"] = new JsonObject { ["networkPlugin"] = "azure", ["loadBalancerSku"] = "standard" },
                ["oidcIssuerProfile"] = _options.OidcIssuerEnabled ? new JsonObject { ["enabled"] = true, ["issuerURL"] = IssuerUrl } : new JsonObject { ["enabled"] = false },
                ["securityProfile"] = _options.WorkloadIdentityEnabled ? new JsonObject { ["workloadIdentity"] = new JsonObject { ["enabled"] = true } } : new JsonObject(),
                ["workloadAutoScalerProfile"] = new JsonObject(),
                ["disableLocalAccounts"] = _options.LocalAccountsDisabled,
            };
            if (_options.AadEnabled)
            {
                properties["aadProfile"] = new JsonObject { ["managed"] = true, ["enableAzureRBAC"] = true, ["tenantID"] = _options.TenantId };
            }

            _resources[Normalize(ClusterId)] = new JsonObject
            {
                ["id"] = ClusterId,
                ["name"] = _options.ClusterName,
                ["type"] = "Microsoft.ContainerService/ManagedClusters",
                ["location"] = _options.Location,
                ["eTag"] = "a1b2c3d4",
                ["sku"] = new JsonObject { ["name"] = "Base", ["tier"] = "Free" },
                ["identity"] = new JsonObject { ["type"] = "SystemAssigned" },
                ["properties"] = properties,
            };
        }

        private void SeedWorkspace()
        {
            _resources[Normalize(WorkspaceId)] = new JsonObject
            {
                ["id"] = WorkspaceId,
                ["name"] = _options.WorkspaceName,
                ["type"] = "Microsoft.Monitor/accounts",
                ["location"] = _options.Location,
                ["properties"] = new JsonObject
                {
                    ["accountId"] = "2df515bf-c3ce-4920-84d4-1d9d16542d9f",
                    ["metrics"] = new JsonObject
                    {
                        ["prometheusQueryEndpoint"] = $"https://{_options.WorkspaceName}-v8hx.{_options.Location}.prometheus.monitor.azure.com",
                        ["internalId"] = "mac_2df515bf-c3ce-4920-84d4-1d9d16542d9f",
                    },
                    ["provisioningState"] = "Succeeded",
                },
            };
        }

        private static string ProviderOf(string[] segments)
        {
            int providers = Array.FindLastIndex(segments, s => s.Equals("providers", StringComparison.OrdinalIgnoreCase));
            return providers >= 0 && providers + 1 < segments.Length ? segments[providers + 1] : "subscriptions";
        }

        private static int IndexOf(string[] segments, string value) => Array.FindIndex(segments, s => s.Equals(value, StringComparison.OrdinalIgnoreCase));

        private static string ResourceGroupOf(string id)
        {
            string[] parts = id.Split('/');
            int index = Array.FindIndex(parts, s => s.Equals("resourceGroups", StringComparison.OrdinalIgnoreCase));
            return index >= 0 && index + 1 < parts.Length ? parts[index + 1] : string.Empty;
        }

        private static string Normalize(string id) => id.TrimEnd('/').ToLowerInvariant();

        private static (int, JsonNode?, Dictionary<string, string>?) Ok(JsonNode body) => (200, body, null);

        public static (int, JsonNode?, Dictionary<string, string>?) Error(int status, string code, string message) =>
            (status, new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } }, null);
    }
}
