namespace KedaAks.Completers
{
    /// <summary>What every completer does with its candidates: the typed word (quotes stripped) is a wildcard prefix, and results are quoted when they must be.</summary>
    internal static class Completions
    {
        private static readonly char[] s_special = { ' ', '\t', '`', '$', '&', '(', ')', '{', '}', '[', ']', ';', ',', '\'', '"', '|', '<', '>', '@', '#' };

        public static List<CompletionResult> Match(IEnumerable<string> candidates, string? wordToComplete)
        {
            string word = wordToComplete ?? string.Empty;
            char? quote = word.Length > 0 && word[0] is '\'' or '"' ? word[0] : null;
            string typed = word.Trim('\'', '"');
            var pattern = WildcardPattern.Get(typed + "*", WildcardOptions.IgnoreCase);
            return candidates.Distinct().Where(pattern.IsMatch)
                .Select(value => new CompletionResult(Quote(value, quote), value, CompletionResultType.ParameterValue, value)).ToList();
        }

        internal static string Quote(string value, char? quote)
        {
            if (quote == '"')
            {
                return "\"" + value.Replace("`", "``").Replace("\"", "`\"").Replace("$", "`$") + "\"";
            }

            return quote == '\'' || value.Length == 0 || value.IndexOfAny(s_special) >= 0 || value[0] == '-' ? "'" + value.Replace("'", "''") + "'" : value;
        }
    }
}
