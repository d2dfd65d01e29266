using System.Text.Json;

namespace KedaAks.Engine.Keda
{
    /// <summary>One line of a KEDA component's log, in zap's JSON or console format.</summary>
    internal static class KedaLogLine
    {
        private static readonly string[] Levels = { "ERROR", "INFO", "DEBUG", "WARN", "WARNING", "DPANIC", "PANIC", "FATAL" };

        /// <summary>The level of a line (lower case): zap JSON's "level", or the console format's second column; null when it has none.</summary>
        public static string? Level(string line)
        {
            string trimmed = line.TrimStart();
            if (trimmed.StartsWith('{'))
            {
                try
                {
                    return JsonNode.Parse(trimmed)?["level"]?.GetValue<string>()?.ToLowerInvariant();
                }
                catch (JsonException)
                {
                    return null;
                }
            }

            string[] columns = trimmed.Split(new[] { '\t', ' ' }, 3, StringSplitOptions.RemoveEmptyEntries);
            return columns.Length > 1 && Array.IndexOf(Levels, columns[1].ToUpperInvariant()) >= 0 ? columns[1].ToLowerInvariant() : null;
        }
    }
}
