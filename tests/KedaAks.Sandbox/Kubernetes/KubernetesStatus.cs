using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;

namespace KedaAks.Sandbox.Kubernetes
{
    /// <summary>Status bodies shaped like the API server's (kind Status, reason, details, causes for 422).</summary>
    public static class KubernetesStatus
    {
        public static (int, JsonNode?) Status(int code, string reason, string message, string? name = null, ResourceType? type = null)
        {
            var details = new JsonObject();
            if (name is not null)
            {
                details["name"] = name;
            }

            if (type is not null)
            {
                details["group"] = type.Group;
                details["kind"] = type.Plural;
            }

            return (code, new JsonObject
            {
                ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Failure",
                ["message"] = message, ["reason"] = reason, ["details"] = details, ["code"] = code,
            });
        }

        public static (int, JsonNode?) NotFound(string message) => Status(404, "NotFound", message);

        /// <summary>A validating webhook's denial as the API server words it (code 403 and reason Forbidden, as controller-runtime's Denied sets them).</summary>
        public static (int, JsonNode?) WebhookDenied(string webhook, string message) =>
            Status(403, "Forbidden", $"admission webhook \"{webhook}\" denied the request: {message}");

        public static (int, JsonNode?) NoSuchResource() => NotFound("the server could not find the requested resource");

        public static (int, JsonNode?) ObjectNotFound(ResourceType type, string name) => Status(404, "NotFound", $"{type.Qualified} \"{name}\" not found", name, type);

        public static (int, JsonNode?) MethodNotAllowed() => Status(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");

        public static (int, JsonNode?) Invalid(ResourceType type, string name, IReadOnlyList<string> errors)
        {
            string message = $"{type.Kind}{(type.Group.Length > 0 ? "." + type.Group : string.Empty)} \"{name}\" is invalid: " + (errors.Count == 1 ? errors[0] : "[" + string.Join(", "
                + "", errors) + "]");
            var causes = new JsonArray(errors.Select(e => (JsonNode)new JsonObject
            {
                ["reason"] = e.Contains("Required value", StringComparison.Ordinal) ? "FieldValueRequired" : e.Contains("Unsupported "
                    + "value", StringComparison.Ordinal) ? "FieldValueNotSupported" : "FieldValueInvalid",
                ["message"] = e.Substring(e.IndexOf(": ", StringComparison.Ordinal) + 2),
                ["field"] = e.Substring(0, e.IndexOf(": ", StringComparison.Ordinal)),
            }).ToArray());
            (int status, JsonNode? body) = Status(422, "Invalid", message, name, type);
            body!["details"]!["causes"] = causes;
            return (status, body);
        }
    }
}
