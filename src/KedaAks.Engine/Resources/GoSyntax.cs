namespace KedaAks.Engine.Resources
{
    /// <summary>
    /// The parts of Go's standard library KEDA parses trigger metadata with, reproduced so the same
    /// strings are accepted and refused with the same reasons: <c>encoding/json</c> into a float64,
    /// <c>strconv.ParseBool</c>, <c>time.ParseDuration</c> and <c>strconv.Atoi</c>.
    /// </summary>
    internal static class GoSyntax
    {
        /// <summary><c>json.Unmarshal([]byte(s), &amp;float64)</c>. On failure <paramref name="error"/> is Go's message.</summary>
        public static bool TryParseJsonFloat(string text, out double value, out string? error)
        {
            value = 0;
            error = null;
            string s = TrimJsonSpace(text);
            if (s.Length == 0)
            {
                error = "unexpected end of JSON input";
                return false;
            }

            char first = s[0];
            if (first != '-' && !IsDigit(first))
            {
                return NonNumberValue(s, out value, out error);
            }

            int i = 0;
            if (s[i] == '-')
            {
                i++;
                if (i == s.Length)
                {
                    error = "unexpected end of JSON input";
                    return false;
                }

                if (!IsDigit(s[i]))
                {
                    error = $"invalid character {QuoteChar(s[i])} in numeric literal";
                    return false;
                }
            }

            if (s[i] == '0')
            {
                i++;
            }
            else
            {
                while (i < s.Length && IsDigit(s[i]))
                {
                    i++;
                }
            }

            if (i < s.Length && s[i] == '.')
            {
                i++;
                if (i == s.Length)
                {
                    error = "unexpected end of JSON input";
                    return false;
                }

                if (!IsDigit(s[i]))
                {
                    error = $"invalid character {QuoteChar(s[i])} after decimal point in numeric literal";
                    return false;
                }

                while (i < s.Length && IsDigit(s[i]))
                {
                    i++;
                }
            }

            if (i < s.Length && (s[i] == 'e' || s[i] == 'E'))
            {
                i++;
                if (i < s.Length && (s[i] == '+' || s[i] == '-'))
                {
                    i++;
                }

                if (i == s.Length)
                {
                    error = "unexpected end of JSON input";
                    return false;
                }

                if (!IsDigit(s[i]))
                {
                    error = $"invalid character {QuoteChar(s[i])} in exponent of numeric literal";
                    return false;
                }

                while (i < s.Length && IsDigit(s[i]))
                {
                    i++;
                }
            }

            while (i < s.Length && s[i] is ' ' or '\t' or '\n' or '\r')
            {
                i++;
            }

            if (i < s.Length)
            {
                error = $"invalid character {QuoteChar(s[i])} after top-level value";
                return false;
            }

            value = double.Parse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture);
            if (double.IsInfinity(value))
            {
                error = $"json: cannot unmarshal number {s} into Go value of type float64";
                value = 0;
                return false;
            }

            return true;
        }

        // A JSON value that is not a number: null leaves the float at 0, the others cannot go into a float64.
        private static bool NonNumberValue(string s, out double value, out string? error)
        {
            value = 0;
            error = null;
            switch (s)
            {
                case "null":
                    return true;
                case "true":
                case "false":
                    error = "json: cannot unmarshal bool into Go value of type float64";
                    return false;
            }

            if (s.Length >= 2 && s[0] == '"' && s[s.Length - 1] == '"' && s.IndexOf('"', 1) == s.Length - 1)
            {
                error = "json: cannot unmarshal string into Go value of type float64";
                return false;
            }

            error = s[0] is 't' or 'f' or 'n' or '"' or '[' or '{'
                ? $"invalid JSON value {Quote(s)} (not a number)"
                : $"invalid character {QuoteChar(s[0])} looking for beginning of value";
            return false;
        }

        /// <summary><c>strconv.ParseBool</c>.</summary>
        public static bool TryParseBool(string text, out bool value)
        {
            switch (text)
            {
                case "1": case "t": case "T": case "TRUE": case "true": case "True":
                    value = true;
                    return true;
                case "0": case "f": case "F": case "FALSE": case "false": case "False":
                    value = false;
                    return true;
                default:
                    value = false;
                    return false;
            }
        }

        /// <summary><c>time.ParseDuration</c>: a signed sequence of decimal numbers, each with an optional fraction and a unit (ns, us, µs, ms, s, m, h).</summary>
        public static bool TryParseDuration(string text, out TimeSpan value)
        {
            value = TimeSpan.Zero;
            string s = text;
            bool negative = false;
            if (s.Length > 0 && (s[0] == '-' || s[0] == '+'))
            {
                negative = s[0] == '-';
                s = s.Substring(1);
            }

            if (s == "0")
            {
                return true;
            }

            if (s.Length == 0)
            {
                return false;
            }

            decimal totalNanoseconds = 0;
            int i = 0;
            while (i < s.Length)
            {
                if (!(s[i] == '.' || IsDigit(s[i])))
                {
                    return false;
                }

                int start = i;
                while (i < s.Length && IsDigit(s[i]))
                {
                    i++;
                }

                bool pre = i > start;
                bool post = false;
                if (i < s.Length && s[i] == '.')
                {
                    i++;
                    int fractionStart = i;
                    while (i < s.Length && IsDigit(s[i]))
                    {
                        i++;
                    }

                    post = i > fractionStart;
                }

                if (!pre && !post)
                {
                    return false;
                }

                string number = s.Substring(start, i - start);
                int unitStart = i;
                while (i < s.Length && s[i] != '.' && !IsDigit(s[i]))
                {
                    i++;
                }

                long unitNanoseconds = s.Substring(unitStart, i - unitStart) switch
                {
                    "ns" => 1L,
                    "us" or "\u00b5s" or "\u03bcs" => 1_000L,
                    "ms" => 1_000_000L,
                    "s" => 1_000_000_000L,
                    "m" => 60_000_000_000L,
                    "h" => 3_600_000_000_000L,
                    _ => 0L,
                };
                if (unitNanoseconds == 0)
                {
                    return false;
                }

                totalNanoseconds += decimal.Parse(number.EndsWith(".", StringComparison.Ordinal) ? number + "0" : number.StartsWith(".", StringComparison.Ordinal) ? "0" + number : number,
                    NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture) * unitNanoseconds;
                if (totalNanoseconds > long.MaxValue)
                {
                    return false;
                }
            }

            long ticks = (long)(totalNanoseconds / 100m);
            value = TimeSpan.FromTicks(negative ? -ticks : ticks);
            return true;
        }

        /// <summary><c>strconv.Atoi</c> on a 64-bit platform.</summary>
        public static bool TryParseInt(string text, out long value) =>
            long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value)
            && text.Length > 0 && !char.IsWhiteSpace(text[0]) && !char.IsWhiteSpace(text[text.Length - 1]);

        /// <summary>Go's <c>%q</c> for a string: double-quoted with Go escapes.</summary>
        public static string Quote(string text)
        {
            var builder = new StringBuilder(text.Length + 2).Append('"');
            foreach (char c in text)
            {
                switch (c)
                {
                    case '"': builder.Append("\\\""); break;
                    case '\\': builder.Append("\\\\"); break;
                    case '\n': builder.Append("\\n"); break;
                    case '\r': builder.Append("\\r"); break;
                    case '\t': builder.Append("\\t"); break;
                    default:
                        if (char.IsControl(c))
                        {
                            builder.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                        }
                        else
                        {
                            builder.Append(c);
                        }

                        break;
                }
            }

            return builder.Append('"').ToString();
        }

        private static string QuoteChar(char c) => c switch
        {
            '\'' => "'\\''",
            '"' => "'\"'",
            _ => "'" + Quote(c.ToString()).Trim('"') + "'",
        };

        private static bool IsDigit(char c) => c >= '0' && c <= '9';

        private static string TrimJsonSpace(string s) => s.Trim(' ', '\t', '\n', '\r');
    }
}
