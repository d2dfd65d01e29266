using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using KedaAks.Sandbox.Arm.ResourceGraph;

namespace KedaAks.Sandbox.Arm.Providers
{
    /// <summary>
    /// Azure Resource Graph's query API (POST /providers/Microsoft.ResourceGraph/resources, SPEC-ARG) over every resource of the sandbox's subscriptions:
    /// the scope (subscriptions, management groups, or the whole tenant), a KQL subset evaluated honestly (<see cref="KqlQuery"/>; anything else is
    /// refused in Resource Graph's error shape), pages of at most <see cref="SandboxOptions.ResourceGraphPageSize"/> rows ($top, $skip, $skipToken),
    /// and the per-caller quota: x-ms-user-quota-remaining and x-ms-user-quota-resets-after on every answer, 429 RateLimiting once it is used up.
    /// </summary>
    public sealed class ResourceGraphProvider : IArmResourceProvider
    {
        private readonly ArmStandIn _arm;
        private readonly Dictionary<string, (DateTimeOffset Start, int Used)> _quota = new(StringComparer.Ordinal);

        public ResourceGraphProvider(ArmStandIn arm) => _arm = arm;

        public string Namespace => "Microsoft.ResourceGraph";

        public IReadOnlyList<string> ApiVersions { get; } = new[] { "2021-03-01", "2022-10-01", "2024-04-01" };

        /// <summary>How many queries each caller made (for tests that count pages).</summary>
        public int Queries { get; private set; }

        public (int, JsonNode?, Dictionary<string, string>?)? Tenant(ArmRequest request)
        {
            if (request.Segments.Length < 2 || !request.Segments[1].Equals(Namespace, StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            if (request.Segments.Length != 3 || !request.Segments[2].Equals("resources", StringComparison.OrdinalIgnoreCase))
            {
                return ArmStandIn.Error(404, "InvalidResourceType", $"The resource type '{string.Join('/', request.Segments.Skip(2))}' could not be found in the namespace '{Namespace}'.");
            }

            if (request.Method != "POST")
            {
                return ArmStandIn.Error(405, "MethodNotAllowed", $"{request.Method} is not supported here; POST the query.");
            }

            (bool allowed, Dictionary<string, string> headers) = Charge(Caller(request.Context.Request.Headers.Authorization));
            if (!allowed)
            {
                return (429, Failure("RateLimiting", new JsonObject
                {
                    ["code"] = "RateLimiting",
                    ["message"] = "Client application has been throttled and should not attempt to repeat the request until an amount of time has elapsed. "
                        + "Please see https://aka.ms/resourcegraph-throttling for help.",
                }), headers);
            }

            try
            {
                return (200, Answer(request.Body), headers);
            }
            catch (KqlException error)
            {
                var detail = new JsonObject { ["code"] = error.Code, ["message"] = error.Message };
                if (error.Token is not null)
                {
                    detail["line"] = 1;
                    detail["characterPositionInLine"] = error.Position;
                    detail["token"] = error.Token;
                }

                return (400, Failure("BadRequest", new JsonObject
                {
                    ["code"] = "InvalidQuery",
                    ["message"] = "Query is invalid. Please refer to the documentation for the Azure Resource Graph service and fix the error before retrying.",
                }, detail), headers);
            }
        }

        /// <summary>Resource Graph has no resources of its own in resource groups.</summary>
        public System.Threading.Tasks.Task<(int, JsonNode?, Dictionary<string, string>?)?> ResourceAsync(ArmRequest request, string resourceId) =>
            System.Threading.Tasks.Task.FromResult<(int, JsonNode?, Dictionary<string, string>?)?>(null);

        private JsonNode Answer(JsonNode? body)
        {
            string query = body?["query"] is JsonValue text && text.TryGetValue(out string? q) && q.Trim().Length > 0 ? q
                : throw new KqlException("InvalidRequestContent", "The request has no query: 'query' is the only required property.");
            JsonNode? options = body["options"];
            int top = Int(options?["$top"]) ?? 100;
            int offset = Int(options?["$skip"]) ?? 0;
            if (top is < 1 or > 1000 || offset < 0)
            {
                throw new KqlException("InvalidRequestContent", "options.$top must be between 1 and 1000 and options.$skip at least 0.");
            }

            List<string> scope = Scope(body);
            string fingerprint = Fingerprint(query, scope);
            if (options?["$skipToken"] is JsonValue tokenValue && tokenValue.TryGetValue(out string? token))
            {
                offset = SkipTokenOffset(token, fingerprint);
            }

            List<JsonObject> rows = KqlQuery.Parse(query).Run(Rows(scope));
            int pageSize = Math.Min(top, Math.Max(1, _arm.Options.ResourceGraphPageSize));
            List<JsonObject> page = rows.Skip(offset).Take(pageSize).ToList();
            var answer = new JsonObject
            {
                ["totalRecords"] = rows.Count,
                ["count"] = page.Count,
                ["resultTruncated"] = "false",
                ["data"] = options?["resultFormat"]?.GetValue<string>() == "table" ? Table(page) : new JsonArray(page.Select(r => (JsonNode)r).ToArray()),
                ["facets"] = new JsonArray(),
            };
            if (offset + page.Count < rows.Count)
            {
                answer["$skipToken"] = TokenService.Base64Url(Encoding.UTF8.GetBytes(new JsonObject { ["o"] = offset + page.Count, ["q"] = fingerprint }.ToJsonString()));
            }

            return answer;
        }

        /// <summary>The subscriptions a query covers: those it names that the caller sees, a management group's, or (tenant scope) all of them.</summary>
        private List<string> Scope(JsonNode body)
        {
            var known = _arm.KnownSubscriptions.Keys.ToList();
            if (body["managementGroups"] is JsonArray groups && groups.Count > 0)
            {
                return groups.Select(g => g?.GetValue<string>()).OfType<string>()
                    .SelectMany(g => _arm.Options.ManagementGroups.TryGetValue(g, out List<string>? members) ? members : new List<string>())
                    .Where(s => known.Contains(s, StringComparer.OrdinalIgnoreCase)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            }

            return body["subscriptions"] is JsonArray subscriptions && subscriptions.Count > 0
                ? subscriptions.Select(s => s?.GetValue<string>()).OfType<string>().Where(s => known.Contains(s, StringComparer.OrdinalIgnoreCase)).ToList()
                : known;
        }

        /// <summary>Every resource of the scope as a resources-table row (type and resource group lower case, as Resource Graph returns them).</summary>
        private IEnumerable<JsonObject> Rows(List<string> scope)
        {
            foreach (JsonObject resource in _arm.Snapshot())
            {
                string id = resource["id"]?.GetValue<string>() ?? string.Empty;
                string[] parts = id.Split('/');
                if (parts.Length < 9 || !scope.Contains(parts[2], StringComparer.OrdinalIgnoreCase))
                {
                    continue;
                }

                var row = new JsonObject();
                foreach (string column in KqlQuery.ResourceColumns)
                {
                    row[column] = resource[column]?.DeepClone();
                }

                row["type"] = (resource["type"]?.GetValue<string>() ?? string.Empty).ToLowerInvariant();
                row["resourceGroup"] = parts[4].ToLowerInvariant();
                row["subscriptionId"] = parts[2];
                row["tenantId"] = _arm.Options.TenantId;
                row["tags"] ??= new JsonObject();
                yield return row;
            }
        }

        private (bool Allowed, Dictionary<string, string> Headers) Charge(string caller)
        {
            lock (_quota)
            {
                Queries++;
                DateTimeOffset now = DateTimeOffset.UtcNow;
                TimeSpan window = _arm.Options.ResourceGraphQuotaWindow;
                (DateTimeOffset start, int used) = _quota.TryGetValue(caller, out var current) && now - current.Start < window ? current : (now, 0);
                bool allowed = used < _arm.Options.ResourceGraphQuota;
                if (allowed)
                {
                    used++;
                }

                _quota[caller] = (start, used);
                TimeSpan left = start + window - now;
                int seconds = (int)Math.Ceiling(Math.Max(0, left.TotalSeconds));
                return (allowed, new Dictionary<string, string>
                {
                    ["x-ms-user-quota-remaining"] = Math.Max(0, _arm.Options.ResourceGraphQuota - used).ToString(CultureInfo.InvariantCulture),
                    ["x-ms-user-quota-resets-after"] = TimeSpan.FromSeconds(seconds).ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture),
                });
            }
        }

        /// <summary>The caller's object id from its (already validated) ARM token: the quota is per user.</summary>
        private static string Caller(string? authorization)
        {
            string[] parts = (authorization ?? string.Empty).Replace("Bearer ", string.Empty, StringComparison.Ordinal).Split('.');
            try
            {
                JsonNode? claims = parts.Length == 3 ? JsonNode.Parse(TokenService.FromBase64Url(parts[1])) : null;
                return claims?["oid"]?.GetValue<string>() ?? claims?["sub"]?.GetValue<string>() ?? "anonymous";
            }
            catch (Exception exception) when (exception is FormatException or System.Text.Json.JsonException)
            {
                return "anonymous";
            }
        }

        private static int SkipTokenOffset(string token, string fingerprint)
        {
            try
            {
                JsonNode? decoded = JsonNode.Parse(TokenService.FromBase64Url(token));
                if (decoded?["q"]?.GetValue<string>() == fingerprint && Int(decoded["o"]) is { } offset)
                {
                    return offset;
                }
            }
            catch (Exception exception) when (exception is FormatException or System.Text.Json.JsonException or InvalidOperationException)
            {
            }

            throw new KqlException("InvalidSkipToken", "The $skipToken is not one this query returned; resend it with the same query and scope.");
        }

        private static string Fingerprint(string query, List<string> scope) =>
            Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(query + "|" + string.Join(",", scope.Select(s => s.ToLowerInvariant()).OrderBy(s => s))))).Substring(0, 16);

        private static JsonObject Table(List<JsonObject> page)
        {
            List<string> columns = page.SelectMany(r => r.Select(p => p.Key)).Distinct(StringComparer.Ordinal).ToList();
            string TypeOf(string column) => page.Select(r => r[column]).FirstOrDefault(v => v is not null) switch
            {
                JsonObject or JsonArray => "object",
                JsonValue value when value.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False => "boolean",
                JsonValue value when value.GetValueKind() == System.Text.Json.JsonValueKind.Number => "integer",
                _ => "string",
            };
            return new JsonObject
            {
                ["columns"] = new JsonArray(columns.Select(c => (JsonNode)new JsonObject { ["name"] = c, ["type"] = TypeOf(c) }).ToArray()),
                ["rows"] = new JsonArray(page.Select(r => (JsonNode)new JsonArray(columns.Select(c => r[c]?.DeepClone()).ToArray())).ToArray()),
            };
        }

        private static int? Int(JsonNode? node) =>
            node is JsonValue value && int.TryParse(value.ToJsonString().Trim('"'), NumberStyles.Integer, CultureInfo.InvariantCulture, out int number) ? number : null;

        private static JsonObject Failure(string code, params JsonObject[] details) => new()
        {
            ["error"] = new JsonObject
            {
                ["code"] = code,
                ["message"] = $"Please provide below info when asking for support: timestamp = {DateTimeOffset.UtcNow:o}, correlationId = {Guid.NewGuid():D}.",
                ["details"] = new JsonArray(details.Select(d => (JsonNode)d).ToArray()),
            },
        };
    }
}
