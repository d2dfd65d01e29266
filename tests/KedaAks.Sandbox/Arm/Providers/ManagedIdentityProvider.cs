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
    /// <summary>Microsoft.ManagedIdentity: user-assigned identities and their federated credentials (Entra's name rules, limits, paging, write conflicts).</summary>
    public sealed class ManagedIdentityProvider : IArmResourceProvider
    {
        private static readonly Regex CredentialName = new("^[a-zA-Z0-9][a-zA-Z0-9-_]{2,119}$");
        private readonly ArmStandIn _arm;
        private readonly HashSet<string> _credentialWritesInFlight = new(StringComparer.OrdinalIgnoreCase);

        public ManagedIdentityProvider(ArmStandIn arm) => _arm = arm;

        public string Namespace => "Microsoft.ManagedIdentity";

        public IReadOnlyList<string> ApiVersions { get; } = new[] { "2023-01-31", "2024-11-30" };

        public (int, JsonNode?, Dictionary<string, string>?)? Subscription(ArmRequest request) =>
            request.Segments.Length == 5 && request.Segments[3].Equals(Namespace, StringComparison.OrdinalIgnoreCase)
            && request.Segments[4].Equals("userAssignedIdentities", StringComparison.OrdinalIgnoreCase)
                ? ArmStandIn.Ok(new JsonObject { ["value"] = new JsonArray(_arm.Snapshot("Microsoft.ManagedIdentity/userAssignedIdentities").Select(w => (JsonNode)w).ToArray()) })
                : null;

        public async Task<(int, JsonNode?, Dictionary<string, string>?)?> ResourceAsync(ArmRequest request, string resourceId)
        {
            string[] segments = request.Segments;
            if (!segments[6].Equals("userAssignedIdentities", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            if (segments.Length == 8)
            {
                return Identity(request.Method, resourceId, request.Body);
            }

            return segments.Length >= 9 && segments[8].Equals("federatedIdentityCredentials", StringComparison.OrdinalIgnoreCase)
                ? await FederatedCredential(request.Method, resourceId, segments.Length > 9 ? segments[9] : null, request.Body, request.Context).ConfigureAwait(false)
                : null;
        }

        private (int, JsonNode?, Dictionary<string, string>?) Identity(string method, string id, JsonNode? body)
        {
            lock (_arm.Lock)
            {
                string key = ArmStandIn.Normalize(id);
                switch (method)
                {
                    case "GET":
                        return _arm.Read(id, "Microsoft.ManagedIdentity/userAssignedIdentities");
                    case "DELETE":
                        if (!_arm.Resources.Remove(key))
                        {
                            return (204, null, null);
                        }

                        foreach (string child in _arm.Resources.Keys.Where(k => k.StartsWith(key + "/", StringComparison.OrdinalIgnoreCase)).ToList())
                        {
                            _arm.Resources.Remove(child);
                        }

                        return (200, null, null);
                    case "PUT":
                        string? location = body?["location"]?.GetValue<string>();
                        if (string.IsNullOrEmpty(location))
                        {
                            return ArmStandIn.Error(400, "LocationRequired", "The location property is required for this definition.");
                        }

                        if (_arm.Resources.TryGetValue(key, out JsonObject? existing))
                        {
                            if (body?["tags"] is JsonObject tags)
                            {
                                existing["tags"] = tags.DeepClone();
                            }

                            return (200, existing.DeepClone(), null);
                        }

                        string principal = Guid.NewGuid().ToString("D");
                        _arm.Principals[principal] = DateTimeOffset.UtcNow;
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
                                ["tenantId"] = _arm.Options.TenantId, ["principalId"] = principal, ["clientId"] = Guid.NewGuid().ToString("D"), ["isolationScope"] = "None",
                            },
                        };
                        _arm.Resources[key] = created;
                        return (201, created.DeepClone(), new Dictionary<string, string> { ["Location"] = created["id"]!.GetValue<string>() });
                    default:
                        return ArmStandIn.Error(405, "MethodNotAllowed", $"{method} is not supported here.");
                }
            }
        }

        private async Task<(int, JsonNode?, Dictionary<string, string>?)> FederatedCredential(string method, string identityId, string? name, JsonNode? body, HttpContext context)
        {
            string identityKey = ArmStandIn.Normalize(identityId);
            if (name is null)
            {
                if (method != "GET")
                {
                    return ArmStandIn.Error(405, "MethodNotAllowed", $"{method} is not supported here.");
                }

                lock (_arm.Lock)
                {
                    if (!_arm.Resources.ContainsKey(identityKey))
                    {
                        return ArmStandIn.Error(404, "ParentResourceNotFound", "The parent user-assigned identity doesn't exist.");
                    }

                    // Pages of 10 with $skipToken, as the real service pages.
                    List<JsonObject> all = Children(identityKey).OrderBy(c => c["name"]!.GetValue<string>(), StringComparer.OrdinalIgnoreCase).ToList();
                    int skip = int.TryParse(context.Request.Query["$skipToken"], out int s) ? s : 0;
                    var page = new JsonObject { ["value"] = new JsonArray(all.Skip(skip).Take(10).Select(c => (JsonNode)c.DeepClone()).ToArray()) };
                    if (skip + 10 < all.Count)
                    {
                        page["nextLink"] = $"{_arm.BaseUrl()}{identityId}/federatedIdentityCredentials?api-version={context.Request.Query["api-version"]}&$skipToken={skip + 10}";
                    }

                    return ArmStandIn.Ok(page);
                }
            }

            string id = $"{identityId}/federatedIdentityCredentials/{name}";
            string key = ArmStandIn.Normalize(id);
            if (method == "GET")
            {
                return _arm.Read(id, "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials");
            }

            if (method == "DELETE")
            {
                lock (_arm.Lock)
                {
                    return _arm.Resources.Remove(key) ? (200, null, null) : (204, null, null);
                }
            }

            if (method != "PUT")
            {
                return ArmStandIn.Error(405, "MethodNotAllowed", $"{method} is not supported here.");
            }

            if (!CredentialName.IsMatch(name))
            {
                return ArmStandIn.Error(400, "BadRequest", $"Federated Identity Credential name '{name}' is invalid.");
            }

            lock (_arm.Lock)
            {
                if (!_arm.Resources.ContainsKey(identityKey))
                {
                    return ArmStandIn.Error(404, "ParentResourceNotFound", "The parent user-assigned identity doesn't exist.");
                }

                bool forced = _arm.Options.ForcedCredentialConflicts > 0;
                if (forced)
                {
                    _arm.Options.ForcedCredentialConflicts--;
                }

                if (forced || !_credentialWritesInFlight.Add(identityKey))
                {
                    return ArmStandIn.Error(409, "ConcurrentFederatedIdentityCredentialsWritesForSingleManagedIdentity",
                        $"Too many Federated Identity Credentials are written concurrently for the managed identity '{identityId.ToLowerInvariant()}'. Concurrent Federated Identity Credentials "
                            + $"writes under the same managed identity are not supported.");
                }
            }

            try
            {
                await Task.Delay(_arm.Options.CredentialWriteDuration).ConfigureAwait(false);
                lock (_arm.Lock)
                {
                    JsonNode? p = body?["properties"];
                    string? issuer = p?["issuer"]?.GetValue<string>();
                    string? subject = p?["subject"]?.GetValue<string>();
                    if (p is null)
                    {
                        return ArmStandIn.Error(400, "BadRequest", "Federated Identity Credential from HTTP body has empty properties");
                    }

                    if (string.IsNullOrEmpty(issuer) || string.IsNullOrEmpty(subject) || p["audiences"] is not JsonArray audiences)
                    {
                        return ArmStandIn.Error(400, "BadRequest", "The request format was unexpected. Federated Identity Credential must specify 'issuer', 'subject' and 'audience'.");
                    }

                    if (audiences.Count != 1)
                    {
                        return ArmStandIn.Error(400, "BadRequest", "Federated identity credentials must have exactly one audience.");
                    }

                    if (!Uri.TryCreate(issuer, UriKind.Absolute, out Uri? issuerUri) || issuerUri.Scheme != Uri.UriSchemeHttps || issuer.Length > 600 || subject.Length > 600)
                    {
                        return ArmStandIn.Error(400, "BadRequest", "The issuer must be an https URL of at most 600 characters, and the subject at most 600 characters.");
                    }

                    List<JsonObject> siblings = Children(identityKey).ToList();
                    if (siblings.Any(c => !c["name"]!.GetValue<string>().Equals(name, StringComparison.OrdinalIgnoreCase)
                        && c["properties"]!["issuer"]!.GetValue<string>() == issuer && c["properties"]!["subject"]!.GetValue<string>() == subject))
                    {
                        return ArmStandIn.Error(400, "BadRequest", "Issuer and subject combination already exists for this Managed Identity.");
                    }

                    bool exists = _arm.Resources.ContainsKey(key);
                    if (!exists && siblings.Count >= 20)
                    {
                        return ArmStandIn.Error(400, "BadRequest", "The maximum number of 20 Federated Identity Credentials per Managed Identity has been reached.");
                    }

                    var credential = new JsonObject
                    {
                        ["id"] = id.Replace("/resourceGroups/", "/resourcegroups/", StringComparison.OrdinalIgnoreCase),
                        ["name"] = name,
                        ["type"] = "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials",
                        ["properties"] = new JsonObject { ["issuer"] = issuer, ["subject"] = subject, ["audiences"] = audiences.DeepClone() },
                    };
                    _arm.Resources[key] = credential;
                    _arm.WrittenAt[key] = DateTimeOffset.UtcNow;
                    return (exists ? 200 : 201, credential.DeepClone(), null);
                }
            }
            finally
            {
                lock (_arm.Lock)
                {
                    _credentialWritesInFlight.Remove(identityKey);
                }
            }
        }

        private IEnumerable<JsonObject> Children(string identityKey) =>
            _arm.Resources.Where(p => p.Key.StartsWith(identityKey + "/federatedidentitycredentials/", StringComparison.OrdinalIgnoreCase)).Select(p => p.Value);
    }
}
