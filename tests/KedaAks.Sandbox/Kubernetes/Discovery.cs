using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace KedaAks.Sandbox.Kubernetes
{
    /// <summary>/version, /api, /apis, /api(s)/&lt;group&gt;/&lt;version&gt; resource lists and OpenAPI v3, from the served kinds.</summary>
    public sealed class Discovery
    {
        private readonly ClusterStore _store;
        private readonly string _gitVersion;

        public Discovery(ClusterStore store, string gitVersion)
        {
            _store = store;
            _gitVersion = gitVersion;
        }

        /// <summary>The answer for a discovery path, or null when the path is not one.</summary>
        public (int, JsonNode?)? TryHandle(string path)
        {
            if (path == "/version")
            {
                Match m = Regex.Match(_gitVersion, @"^v(\d+)\.(\d+)");
                return (200, new JsonObject { ["major"] = m.Groups[1].Value, ["minor"] = m.Groups[2].Value, ["gitVersion"] = _gitVersion, ["platform"] = "linux/amd64" });
            }

            if (path == "/api")
            {
                return (200, new JsonObject { ["kind"] = "APIVersions", ["versions"] = new JsonArray("v1") });
            }

            if (path.StartsWith("/openapi/v3", StringComparison.Ordinal))
            {
                return OpenApiV3(path);
            }

            if (path == "/apis")
            {
                var groups = new JsonArray();
                foreach (IGrouping<string, ResourceType> served in _store.Types.Where(t => t.Group.Length > 0).GroupBy(t => t.Group))
                {
                    var versions = new JsonArray(served.Select(t => t.Version).Distinct()
                        .Select(v => (JsonNode)new JsonObject { ["groupVersion"] = $"{served.Key}/{v}", ["version"] = v }).ToArray());
                    groups.Add(new JsonObject { ["name"] = served.Key, ["versions"] = versions, ["preferredVersion"] = versions[0]!.DeepClone() });
                }

                return (200, new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = groups });
            }

            return null;
        }

        /// <summary>The APIResourceList of one group version.</summary>
        public (int, JsonNode?) GroupVersion(string group, string version)
        {
            List<ResourceType> types = _store.Types.Where(t => t.Group == group && t.Version == version).ToList();
            if (types.Count == 0)
            {
                return KubernetesStatus.NoSuchResource();
            }

            var resources = new JsonArray(types.Select(t => (JsonNode)new JsonObject
            {
                ["name"] = t.Plural, ["singularName"] = t.Kind.ToLowerInvariant(), ["namespaced"] = t.Namespaced, ["kind"] = t.Kind,
                ["verbs"] = new JsonArray("create", "delete", "get", "list", "patch", "update", "watch"),
            }).ToArray());
            return (200, new JsonObject { ["kind"] = "APIResourceList", ["apiVersion"] = "v1", ["groupVersion"] = types[0].ApiVersion, ["resources"] = resources });
        }

        /// <summary>
        /// OpenAPI v3, as much as clients need to learn that the server validates fields itself (fieldValidation on
        /// PATCH for every kind): kubectl and Helm then skip client-side schema validation.
        /// </summary>
        private (int, JsonNode?) OpenApiV3(string path)
        {
            static string GroupVersionPath(ResourceType t) => t.Group.Length == 0 ? $"api/{t.Version}" : $"apis/{t.Group}/{t.Version}";
            var groupVersions = _store.Types.Select(GroupVersionPath).Distinct().ToList();
            if (path.TrimEnd('/') == "/openapi/v3")
            {
                var paths = new JsonObject();
                foreach (string gv in groupVersions)
                {
                    paths[gv] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{gv}?hash={_store.ResourceVersion}" };
                }

                return (200, new JsonObject { ["paths"] = paths });
            }

            string wanted = path.Substring("/openapi/v3/".Length).TrimEnd('/');
            if (!groupVersions.Contains(wanted))
            {
                return KubernetesStatus.NoSuchResource();
            }

            var operations = new JsonObject();
            foreach (ResourceType type in _store.Types.Where(t => GroupVersionPath(t) == wanted))
            {
                string prefix = "/" + GroupVersionPath(type);
                string item = type.Namespaced ? $"{prefix}/namespaces/{{namespace}}/{type.Plural}/{{name}}" : $"{prefix}/{type.Plural}/{{name}}";
                operations[item] = new JsonObject
                {
                    ["patch"] = new JsonObject
                    {
                        ["operationId"] = $"patch{type.Kind}",
                        ["x-kubernetes-action"] = "patch",
                        ["x-kubernetes-group-version-kind"] = new JsonObject { ["group"] = type.Group, ["version"] = type.Version, ["kind"] = type.Kind },
                        ["parameters"] = new JsonArray(Parameter("fieldValidation"), Parameter("fieldManager"), Parameter("dryRun")),
                        ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
                    },
                };
            }

            return (200, new JsonObject
            {
                ["openapi"] = "3.0.0",
                ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = _gitVersion },
                ["paths"] = operations,
                ["components"] = new JsonObject { ["schemas"] = new JsonObject() },
            });
        }

        private static JsonObject Parameter(string name) =>
            new() { ["name"] = name, ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true } };
    }
}
