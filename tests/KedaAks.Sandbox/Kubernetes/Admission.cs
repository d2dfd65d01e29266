using System.Collections.Generic;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace KedaAks.Sandbox.Kubernetes
{
    /// <summary>
    /// What the API server checks before it stores a write: the body matches the URL (apiVersion, kind, name,
    /// namespace), the name rules, and for custom objects the CRD's structural schema (pruning, then 422 Invalid).
    /// </summary>
    public static class Admission
    {
        private static readonly Regex Subdomain = new(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
        private static readonly Regex Label = new(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");

        /// <summary>Name rules and body/URL agreement; null when the write may go on.</summary>
        public static (int, JsonNode?)? Check(ResourceType type, string? ns, string? name, JsonObject obj)
        {
            string? apiVersion = obj["apiVersion"]?.GetValue<string>();
            string? kind = obj["kind"]?.GetValue<string>();
            if (apiVersion != type.ApiVersion || kind != type.Kind)
            {
                return KubernetesStatus.Status(400, "BadRequest", $"the API version in the data ({apiVersion}) does not match the expected API version ({type.ApiVersion})"
                    + (kind != type.Kind ? $", or the kind ({kind}) is not {type.Kind}" : string.Empty));
            }

            string? bodyName = obj["metadata"]?["name"]?.GetValue<string>();
            if (string.IsNullOrEmpty(bodyName) || (name is not null && bodyName != name))
            {
                return KubernetesStatus.Status(400, "BadRequest", string.IsNullOrEmpty(bodyName)
                    ? $"{type.Kind} in version \"{type.Version}\" cannot be handled as a {type.Kind}: name is required" : "the name of the object does not match the name on the URL", name, type);
            }

            bool isNamespace = type.Plural is "namespaces";
            Regex rule = isNamespace ? Label : Subdomain;
            if (!rule.IsMatch(bodyName) || bodyName.Length > (isNamespace ? 63 : 253))
            {
                string what = isNamespace ? "a lowercase RFC 1123 label" : "a lowercase RFC 1123 subdomain";
                return KubernetesStatus.Invalid(type, bodyName, new[]
                {
                    $"metadata.name: Invalid value: \"{bodyName}\": {what} must consist of lower case alphanumeric characters, '-'{(isNamespace ? string.Empty : " or '.'")}, and must start and end "
                        + $"with an alphanumeric character",
                });
            }

            if (type.Namespaced)
            {
                string? bodyNamespace = obj["metadata"]?["namespace"]?.GetValue<string>();
                if (!string.IsNullOrEmpty(bodyNamespace) && bodyNamespace != ns)
                {
                    return KubernetesStatus.Status(400, "BadRequest", "the namespace of the provided object does not match the namespace sent on the request", name, type);
                }
            }

            return null;
        }

        /// <summary>Prunes and validates custom objects against their CRD schema (422 Invalid); kinds without a schema pass.</summary>
        public static (int, JsonNode?)? Admit(ResourceType type, JsonObject obj)
        {
            if (type.Schema is null)
            {
                return null;
            }

            SchemaValidator.Prune(obj["spec"], type.Schema["properties"]?["spec"] as JsonObject);
            List<string> errors = SchemaValidator.Validate(obj, type.Schema);
            return errors.Count == 0 ? null : KubernetesStatus.Invalid(type, obj["metadata"]?["name"]?.GetValue<string>() ?? string.Empty, errors);
        }
    }
}
