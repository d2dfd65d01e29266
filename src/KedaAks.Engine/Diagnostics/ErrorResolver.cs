using System.Text.Json;

namespace KedaAks.Engine.Diagnostics
{
    /// <summary>
    /// Names the cause of KEDA operator, metrics server, webhook, HPA event and Entra error text. Each rule (the table
    /// is <see cref="ErrorRules"/>) aims at the general form of a message as KEDA words it (with or without the response
    /// body, JSON or console log format, escaped or not, truncated, behind a log or event prefix), not at one sample;
    /// the first rule that matches decides.
    /// </summary>
    internal sealed class ErrorResolver : IDiagnostics
    {
        private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;

        private static readonly Regex AnyStatus = new(@"(?:status(?: code)?[:=]\s*|StatusCode=)(\d{3})\b", Options);

        private static readonly Regex WhiteSpace = new(@"\s+", RegexOptions.CultureInvariant);

        /// <summary>Box-drawing borders of a terminal UI (k9s, a tmux pane) with the line breaks between them.</summary>
        private static readonly Regex PaneBorder = new(@"\s*[\u2502\u2503]+\s*", RegexOptions.CultureInvariant);

        /// <summary>How much of a text is diagnosed: error messages and log lines are far shorter; the rules' patterns stay linear on it.</summary>
        internal const int MaxDiagnosed = 16 * 1024;

        public Diagnosis Resolve(string text)
        {
            text ??= string.Empty;
            (string message, string? ns, string? name, DateTimeOffset? time) = Normalize(text.Length > MaxDiagnosed ? text.Substring(0, MaxDiagnosed) : text);
            string subject = WhiteSpace.Replace(message.Replace("**", string.Empty, StringComparison.Ordinal), " ");
            DiagnosisCode code = ErrorRules.All.FirstOrDefault(r => r.Matches(subject))?.Code ?? DiagnosisCode.Unknown;
            Diagnosis diagnosis = Catalog.Describe(new Diagnosis
            {
                Code = code,
                Message = message,
                Namespace = ns,
                Name = name,
                Time = time,
                AadstsCode = ErrorRules.EntraCodes(subject).FirstOrDefault(),
                StatusCode = Status(message),
                Query = Regex.Match(message, @"prometheus query (.+?) returned multiple elements", Options | RegexOptions.Singleline) is { Success: true } q
                    ? q.Groups[1].Value : null,
            });
            ExtractAssertion(message, diagnosis);
            diagnosis.ApplicationId = First(message, @"Application with identifier '([^']+)'", @"client '([0-9a-f-]{36})'[^.]{0,80}has no configured federated");
            diagnosis.PrincipalId = First(message,
                @"object id '([0-9a-f-]{36})'", @"with object id ""?([0-9a-f-]{36})", @"Principal ([0-9a-f]{32}|[0-9a-f-]{36}) does not exist",
                @"client '([0-9a-f-]{36})'", @"principalId[""']?\s*[:=]\s*[""']?([0-9a-f-]{36})");
            if (diagnosis.PrincipalId == diagnosis.ApplicationId)
            {
                diagnosis.PrincipalId = null;
            }

            diagnosis.Scope = First(message, @"over scope '([^']+)'", @"scope '(/subscriptions/[^']+)'", @"on scope '([^']+)'",
                @"(/subscriptions/[^\s'""]+/providers/microsoft\.monitor/accounts/[^\s'"".,]+)");
            return diagnosis;
        }

        private static void ExtractAssertion(string message, Diagnosis diagnosis)
        {
            diagnosis.Issuer = First(message, @"Assertion Issuer: '([^']*)'", @"presented assertion issuer '([^']*)'", @"assertion issuer: '([^']*)'");
            diagnosis.Subject = First(message, @"Assertion Subject: '([^']*)'", @"presented assertion subject '([^']*)'", @"assertion subject: '([^']*)'");
            diagnosis.Audience = First(message, @"Assertion Audience: '([^']*)'", @"presented assertion audience '([^']*)'", @"assertion audience: '([^']*)'");
        }

        private static int? Status(string message)
        {
            Match m = ErrorRules.PrometheusStatus.Match(message);
            if (!m.Success)
            {
                m = AnyStatus.Match(message);
            }

            return m.Success ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;
        }

        private static string? First(string text, params string[] patterns)
        {
            foreach (string pattern in patterns)
            {
                Match m = Regex.Match(text, pattern, Options);
                if (m.Success && m.Groups[1].Value.Length > 0)
                {
                    return m.Groups[1].Value;
                }
            }

            return null;
        }

        /// <summary>
        /// The error text out of a log line (KEDA's JSON or console format, zap's), JSON escapes undone, with the
        /// object it is about and the time when the line says.
        /// </summary>
        internal static (string Message, string? Namespace, string? Name, DateTimeOffset? Time) Normalize(string text)
        {
            string trimmed = (text.IndexOfAny(new[] { '\u2502', '\u2503' }) >= 0 ? PaneBorder.Replace(text, string.Empty) : text).Trim();
            string? ns = null;
            string? name = null;
            DateTimeOffset? time = null;
            JsonObject? fields = null;
            if (trimmed.StartsWith('{'))
            {
                fields = TryParse(trimmed) is { } whole && !IsResponseBody(whole) ? whole : null;
            }
            else
            {
                // Console format: "<time>\t<LEVEL>\t<logger>\t<msg>\t{json fields}"
                int brace = trimmed.IndexOf('{');
                if (brace > 0 && trimmed.EndsWith('}') && TryParse(trimmed.Substring(brace)) is { } tail && !IsResponseBody(tail))
                {
                    fields = tail;
                    time = ParseTime(trimmed.Split(new[] { ' ', '\t' }, 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault());
                    string head = trimmed.Substring(0, brace).Trim();
                    fields["__head"] = head;
                }
                else
                {
                    time = ParseTime(trimmed.Split(new[] { ' ', '\t' }, 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault());
                }
            }

            string message = trimmed;
            if (fields is not null)
            {
                string? error = Str(fields["error"]);
                string? msg = Str(fields["msg"]) ?? Str(fields["message"]) ?? Str(fields["__head"]);
                message = string.Join(": ", new[] { msg, error }.Where(p => !string.IsNullOrEmpty(p)));
                if (message.Length == 0)
                {
                    message = trimmed;
                }

                ns = Str(fields["scaledObject.Namespace"]) ?? Str(fields["ScaledObject"]?["namespace"]) ?? Str(fields["namespace"]) ?? Str(fields["Namespace"]);
                name = Str(fields["scaledObject.Name"]) ?? Str(fields["ScaledObject"]?["name"]) ?? Str(fields["TriggerAuthentication"]?["name"]) ?? Str(fields["name"]) ?? Str(fields["Name"]);
                time ??= ParseTime(Str(fields["ts"]) ?? Str(fields["time"]) ?? Str(fields["timestamp"]) ?? fields["ts"]?.ToJsonString());
            }

            if (message.Contains("\\\"", StringComparison.Ordinal) || message.Contains("\\n", StringComparison.Ordinal))
            {
                message = message.Replace("\\\\", "\u0001", StringComparison.Ordinal).Replace("\\\"", "\"", StringComparison.Ordinal)
                    .Replace("\\n", "\n", StringComparison.Ordinal).Replace("\\t", "\t", StringComparison.Ordinal).Replace("\u0001", "\\", StringComparison.Ordinal);
            }

            if (ns is null && Regex.Match(message, @"(?:namespace|Namespace)[""']?\s*[:=]\s*[""']([a-z0-9-]+)") is { Success: true } n)
            {
                ns = n.Groups[1].Value;
            }

            return (message, ns, name, time);
        }

        /// <summary>An Entra or Prometheus response body, read whole rather than as log fields (its error is not the message).</summary>
        private static bool IsResponseBody(JsonObject json) =>
            json.ContainsKey("error_description") || json.ContainsKey("error_codes") || json.ContainsKey("errorType")
            || (json.ContainsKey("status") && json.ContainsKey("data"));

        private static JsonObject? TryParse(string json)
        {
            try
            {
                return JsonNode.Parse(json) as JsonObject;
            }
            catch (JsonException)
            {
                return null;
            }
        }

        private static DateTimeOffset? ParseTime(string? value)
        {
            if (value is null)
            {
                return null;
            }

            if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset parsed))
            {
                return parsed;
            }

            // zap's epoch seconds with a fraction, e.g. 1.6469873430729506e+09
            return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds > 1e9 && seconds < 1e11
                ? DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000))
                : null;
        }

        private static string? Str(JsonNode? node) => node is JsonValue value && value.TryGetValue(out string? text) ? text : null;
    }
}
