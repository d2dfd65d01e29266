namespace KedaAks.Engine.Diagnostics
{
    /// <summary>What a PromQL query selects: the metric names of its vector selectors and whether any selector filters on the cluster label.</summary>
    internal sealed record PromQlScan(IReadOnlyList<string> Metrics, bool FiltersCluster);

    /// <summary>
    /// A small PromQL scanner (strings, comments, label matchers, ranges, label lists of by/without/on/ignoring/group_*, functions and
    /// keywords told apart from metric names). It does not validate the query: Prometheus does that; it only finds the selectors.
    /// </summary>
    internal static class PromQlSelectors
    {
        private static readonly HashSet<string> Keywords = new(StringComparer.OrdinalIgnoreCase)
        {
            "offset", "bool", "and", "or", "unless", "atan2", "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk",
            "topk", "quantile", "limitk", "limit_ratio", "inf", "nan", "start", "end",
        };

        private static readonly HashSet<string> LabelLists = new(StringComparer.OrdinalIgnoreCase) { "by", "without", "on", "ignoring", "group_left", "group_right" };

        /// <summary>The label ama-metrics puts on every series it sends to an Azure Monitor workspace (field-notes 1.3).</summary>
        public const string ClusterLabel = "cluster";

        public static PromQlScan Scan(string query)
        {
            var metrics = new List<string>();
            bool cluster = false;
            int i = 0;
            while (i < query.Length)
            {
                char c = query[i];
                if (c is '"' or '\'' or '`')
                {
                    i = SkipString(query, i);
                }
                else if (c == '#')
                {
                    while (i < query.Length && query[i] != '\n')
                    {
                        i++;
                    }
                }
                else if (c == '{')
                {
                    i = Matchers(query, i + 1, metrics, ref cluster);
                }
                else if (c == '[')
                {
                    i = query.IndexOf(']', i) is int close && close >= 0 ? close + 1 : query.Length;
                }
                else if (char.IsLetter(c) || c is '_' or ':')
                {
                    int start = i;
                    while (i < query.Length && (char.IsLetterOrDigit(query[i]) || query[i] is '_' or ':'))
                    {
                        i++;
                    }

                    string word = query.Substring(start, i - start);
                    int next = i;
                    while (next < query.Length && char.IsWhiteSpace(query[next]))
                    {
                        next++;
                    }

                    bool call = next < query.Length && query[next] == '(';
                    if (call && LabelLists.Contains(word))
                    {
                        int close = query.IndexOf(')', next);
                        i = close < 0 ? query.Length : close + 1;
                    }
                    else if (!call && !Keywords.Contains(word) && !LabelLists.Contains(word) && !metrics.Contains(word))
                    {
                        metrics.Add(word);
                    }
                }
                else if (char.IsDigit(c) || c == '.')
                {
                    while (i < query.Length && (char.IsLetterOrDigit(query[i]) || query[i] == '.'))
                    {
                        i++;
                    }
                }
                else
                {
                    i++;
                }
            }

            return new PromQlScan(metrics, cluster);
        }

        /// <summary>Reads label matchers up to the closing brace: a cluster matcher is noted, a __name__="x" (or a bare quoted name) is a metric.</summary>
        private static int Matchers(string query, int i, List<string> metrics, ref bool cluster)
        {
            string? label = null;
            string op = string.Empty;
            while (i < query.Length && query[i] != '}')
            {
                char c = query[i];
                if (c is '"' or '\'' or '`')
                {
                    int end = SkipString(query, i);
                    string value = query.Substring(i + 1, Math.Max(0, end - i - 2));
                    if (label is null && op.Length == 0 && !metrics.Contains(value))
                    {
                        metrics.Add(value); // PromQL 3's {"metric.name", ...}
                    }
                    else if (label == "__name__" && op == "=" && !metrics.Contains(value))
                    {
                        metrics.Add(value);
                    }

                    (label, op, i) = (null, string.Empty, end);
                }
                else if (char.IsLetter(c) || c == '_')
                {
                    int start = i;
                    while (i < query.Length && (char.IsLetterOrDigit(query[i]) || query[i] == '_'))
                    {
                        i++;
                    }

                    label = query.Substring(start, i - start);
                    cluster |= label == ClusterLabel;
                }
                else if (c is '=' or '!' or '~')
                {
                    op += c;
                    i++;
                }
                else
                {
                    if (c == ',')
                    {
                        (label, op) = (null, string.Empty);
                    }

                    i++;
                }
            }

            return i + 1;
        }

        private static int SkipString(string query, int i)
        {
            char quote = query[i++];
            while (i < query.Length && query[i] != quote)
            {
                i += query[i] == '\\' && quote != '`' ? 2 : 1;
            }

            return Math.Min(i + 1, query.Length);
        }
    }
}
