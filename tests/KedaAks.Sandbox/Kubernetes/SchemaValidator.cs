using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KedaAks.Sandbox.Kubernetes
{
    /// <summary>
    /// What the API server does with a custom object against its CRD's structural openAPIV3Schema: prune unknown
    /// fields, then check types, enums, required fields and numeric bounds, with apimachinery's field-error wording.
    /// (CEL x-kubernetes-validations rules are not evaluated.)
    /// </summary>
    public static class SchemaValidator
    {
        public static List<string> Validate(JsonObject root, JsonObject schema)
        {
            var errors = new List<string>();
            foreach (string key in new[] { "spec", "status" })
            {
                if (schema["properties"]?[key] is JsonObject part && root[key] is JsonNode value)
                {
                    Check(value, part, key, errors);
                }
            }

            if (schema["required"] is JsonArray required)
            {
                foreach (string field in required.Select(r => r!.GetValue<string>()).Where(f => f is "spec" && root[f] is null))
                {
                    errors.Add($"{field}: Required value");
                }
            }

            return errors;
        }

        /// <summary>Drops fields the schema does not know (structural pruning), in place.</summary>
        public static void Prune(JsonNode? node, JsonObject? schema)
        {
            if (schema is null || node is null || schema["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true)
            {
                return;
            }

            if (node is JsonObject obj)
            {
                if (schema["properties"] is JsonObject properties)
                {
                    foreach (string key in obj.Select(p => p.Key).ToList())
                    {
                        if (properties[key] is JsonObject child)
                        {
                            Prune(obj[key], child);
                        }
                        else if (schema["additionalProperties"] is not JsonObject)
                        {
                            obj.Remove(key);
                        }
                    }
                }
                else if (schema["additionalProperties"] is JsonObject additional)
                {
                    foreach (KeyValuePair<string, JsonNode?> pair in obj.ToList())
                    {
                        Prune(pair.Value, additional);
                    }
                }
            }
            else if (node is JsonArray array && schema["items"] is JsonObject items)
            {
                foreach (JsonNode? item in array)
                {
                    Prune(item, items);
                }
            }
        }

        private static void Check(JsonNode? node, JsonObject schema, string path, List<string> errors)
        {
            if (node is null)
            {
                if (schema["nullable"]?.GetValue<bool>() != true)
                {
                    errors.Add($"{path}: Invalid value: \"null\": {path} in body must be of type {schema["type"]?.GetValue<string>() ?? "object"}: \"null\"");
                }

                return;
            }

            string actual = TypeOf(node);
            string? expected = schema["type"]?.GetValue<string>();
            bool intOrString = schema["x-kubernetes-int-or-string"]?.GetValue<bool>() == true;
            if (intOrString)
            {
                if (actual is not ("integer" or "string"))
                {
                    errors.Add($"{path}: Invalid value: \"{actual}\": {path} in body must be of type integer,string: \"{actual}\"");
                }

                return;
            }

            if (expected is not null && !(expected == actual || (expected == "number" && actual == "integer")))
            {
                errors.Add($"{path}: Invalid value: \"{actual}\": {path} in body must be of type {expected}: \"{actual}\"");
                return;
            }

            if (schema["enum"] is JsonArray allowed && !allowed.Any(a => JsonNode.DeepEquals(a, node)))
            {
                errors.Add($"{path}: Unsupported value: {node.ToJsonString()}: supported values: {string.Join(", ", allowed.Select(a => a!.ToJsonString()))}");
            }

            if (actual is "integer" or "number")
            {
                double number = Element(node).GetDouble();
                if (schema["minimum"] is JsonNode minimum && number < Element(minimum).GetDouble())
                {
                    errors.Add($"{path}: Invalid value: {Format(node)}: {path} in body should be greater than or equal to {Format(minimum)}");
                }

                if (schema["maximum"] is JsonNode maximum && number > Element(maximum).GetDouble())
                {
                    errors.Add($"{path}: Invalid value: {Format(node)}: {path} in body should be less than or equal to {Format(maximum)}");
                }
            }

            if (node is JsonObject obj)
            {
                if (schema["required"] is JsonArray required)
                {
                    foreach (string field in required.Select(r => r!.GetValue<string>()).Where(f => !obj.ContainsKey(f)))
                    {
                        errors.Add($"{path}.{field}: Required value");
                    }
                }

                foreach (KeyValuePair<string, JsonNode?> pair in obj)
                {
                    JsonObject? child = schema["properties"]?[pair.Key] as JsonObject ?? schema["additionalProperties"] as JsonObject;
                    if (child is not null)
                    {
                        Check(pair.Value, child, $"{path}.{pair.Key}", errors);
                    }
                }
            }
            else if (node is JsonArray array && schema["items"] is JsonObject items)
            {
                for (int i = 0; i < array.Count; i++)
                {
                    Check(array[i], items, $"{path}[{i}]", errors);
                }
            }
        }

        private static string Format(JsonNode node) => node.ToJsonString();

        private static JsonElement Element(JsonNode node)
        {
            using JsonDocument document = JsonDocument.Parse(node.ToJsonString());
            return document.RootElement.Clone();
        }

        private static string TypeOf(JsonNode node)
        {
            if (node is JsonObject)
            {
                return "object";
            }

            if (node is JsonArray)
            {
                return "array";
            }

            JsonElement element = Element(node);
            return element.ValueKind switch
            {
                JsonValueKind.String => "string",
                JsonValueKind.True or JsonValueKind.False => "boolean",
                JsonValueKind.Number => element.TryGetInt64(out _) ? "integer" : "number",
                _ => "null",
            };
        }
    }
}
