using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KedaAks.Sandbox.Arm.ResourceGraph
{
    /// <summary>KQL's scalar semantics for the subset: dynamic values as JSON, comparisons (== case-sensitive, =~ not; missing values compare false), functions.</summary>
    public static class KqlValues
    {
        public static readonly IReadOnlySet<string> Functions = new HashSet<string>(StringComparer.Ordinal)
        {
            "tostring", "tobool", "toboolean", "tolower", "toupper", "toint", "tolong", "isnull", "isnotnull", "isempty", "isnotempty", "not",
        };

        public static bool Truthy(JsonNode? node) => node is JsonValue value && value.TryGetValue(out bool flag) && flag;

        /// <summary>A value as tostring() gives it: strings as they are, booleans lower case, numbers invariant, objects as JSON, null as "".</summary>
        public static string Text(JsonNode? node) => node switch
        {
            null => string.Empty,
            JsonValue value when value.TryGetValue(out string? text) => text,
            JsonValue value when value.TryGetValue(out bool flag) => flag ? "true" : "false",
            JsonValue value when value.GetValueKind() == JsonValueKind.Number => AsDouble(value).ToString(CultureInfo.InvariantCulture),
            _ => node.ToJsonString(),
        };

        public static JsonNode? Call(string function, JsonNode? arg) => function switch
        {
            "tostring" => JsonValue.Create(Text(arg)),
            "tobool" or "toboolean" => ToBool(arg) is { } flag ? JsonValue.Create(flag) : null,
            "tolower" => JsonValue.Create(Text(arg).ToLowerInvariant()),
            "toupper" => JsonValue.Create(Text(arg).ToUpperInvariant()),
            "toint" or "tolong" => Number(arg) is { } number ? JsonValue.Create(Math.Truncate(number)) : null,
            "isnull" => JsonValue.Create(arg is null),
            "isnotnull" => JsonValue.Create(arg is not null),
            "isempty" => JsonValue.Create(Text(arg).Length == 0),
            "isnotempty" => JsonValue.Create(Text(arg).Length > 0),
            "not" => JsonValue.Create(!Truthy(arg)),
            _ => throw new KqlException("UnknownFunction", $"Unknown function: '{function}'."),
        };

        public static JsonNode Apply(string op, JsonNode? left, JsonNode? right)
        {
            bool negate = op.StartsWith('!') && op is not ("!=" or "!~");
            string plain = negate ? op.Substring(1) : op;
            string l = Text(left), r = Text(right);
            bool result = plain switch
            {
                "==" => Equal(left, right),
                "!=" => left is not null && right is not null && !Equal(left, right),
                "=~" => left is not null && string.Equals(l, r, StringComparison.OrdinalIgnoreCase),
                "!~" => left is not null && !string.Equals(l, r, StringComparison.OrdinalIgnoreCase),
                "<" => left is not null && Compare(left, right) < 0,
                "<=" => left is not null && Compare(left, right) <= 0,
                ">" => left is not null && Compare(left, right) > 0,
                ">=" => left is not null && Compare(left, right) >= 0,
                "contains" => l.Contains(r, StringComparison.OrdinalIgnoreCase),
                "has" => HasTerm(l, r),
                "startswith" => l.StartsWith(r, StringComparison.OrdinalIgnoreCase),
                "endswith" => l.EndsWith(r, StringComparison.OrdinalIgnoreCase),
                _ => throw new KqlException("ParserFailure", "ParserFailure", op),
            };
            return JsonValue.Create(result != negate);
        }

        /// <summary>Numbers numerically, everything else ordinally as text; null sorts first.</summary>
        public static int Compare(JsonNode? left, JsonNode? right)
        {
            if (left is null || right is null)
            {
                return left is null ? right is null ? 0 : -1 : 1;
            }

            return Number(left) is { } a && Number(right) is { } b ? a.CompareTo(b) : string.CompareOrdinal(Text(left), Text(right));
        }

        private static bool Equal(JsonNode? left, JsonNode? right)
        {
            if (left is null || right is null)
            {
                return false;
            }

            if (ToBool(right) is { } flag && right is JsonValue rv && rv.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
            {
                return ToBool(left) == flag;
            }

            return Number(left) is { } a && Number(right) is { } b ? a == b : string.Equals(Text(left), Text(right), StringComparison.Ordinal);
        }

        /// <summary>KQL's has: the term appears whole, bounded by non-alphanumeric characters.</summary>
        private static bool HasTerm(string text, string term)
        {
            for (int at = text.IndexOf(term, StringComparison.OrdinalIgnoreCase); at >= 0; at = text.IndexOf(term, at + 1, StringComparison.OrdinalIgnoreCase))
            {
                bool before = at == 0 || !char.IsLetterOrDigit(text[at - 1]);
                bool after = at + term.Length >= text.Length || !char.IsLetterOrDigit(text[at + term.Length]);
                if (before && after)
                {
                    return true;
                }
            }

            return term.Length == 0;
        }

        private static bool? ToBool(JsonNode? node) => node switch
        {
            JsonValue value when value.TryGetValue(out bool flag) => flag,
            JsonValue value when value.TryGetValue(out string? text) && bool.TryParse(text, out bool parsed) => parsed,
            _ => null,
        };

        private static double? Number(JsonNode? node) => node is JsonValue value && value.GetValueKind() == JsonValueKind.Number ? AsDouble(value) : null;

        private static double AsDouble(JsonValue value) => double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
    }
}
