using System.Collections;
using YamlDotNet.Serialization;

namespace KedaAks.Engine.Helm
{
    /// <summary>The values handed to KEDA's chart: workload identity on, the operator's service account in the layout of the chart's version, then -Set.</summary>
    internal static class HelmValues
    {
        public static Dictionary<string, object?> Build(HelmInstallRequest request, bool nested, bool chartCreatesAccount)
        {
            var azureWorkload = new Dictionary<string, object?> { ["enabled"] = true, ["clientId"] = request.ClientId };
            if (request.TenantId is { Length: > 0 } tenant)
            {
                azureWorkload["tenantId"] = tenant;
            }

            var account = new Dictionary<string, object?> { ["create"] = chartCreatesAccount, ["name"] = request.ServiceAccountName };
            var values = new Dictionary<string, object?>
            {
                ["podIdentity"] = new Dictionary<string, object?> { ["azureWorkload"] = azureWorkload },
                ["serviceAccount"] = nested ? new Dictionary<string, object?> { ["operator"] = account } : account,
            };
            if (request.Set is not null)
            {
                foreach (DictionaryEntry entry in request.Set)
                {
                    string[] path = (entry.Key?.ToString() ?? string.Empty).Split('.');
                    Dictionary<string, object?> target = values;
                    foreach (string part in path[..^1])
                    {
                        if (target.TryGetValue(part, out object? child) && child is Dictionary<string, object?> map)
                        {
                            target = map;
                        }
                        else
                        {
                            var created = new Dictionary<string, object?>();
                            target[part] = created;
                            target = created;
                        }
                    }

                    target[path[^1]] = Plain(entry.Value);
                }
            }

            return values;
        }

        private static object? Plain(object? value) => value switch
        {
            IDictionary map => map.Keys.Cast<object>().ToDictionary(k => k.ToString()!, k => Plain(map[k])),
            string text => text,
            IEnumerable list => list.Cast<object?>().Select(Plain).ToList(),
            _ => value,
        };

        /// <summary>The values as helm's --set would name them (a.b.c=value), sorted, for -WhatIf and Verbose.</summary>
        public static IReadOnlyList<string> Pairs(Dictionary<string, object?> values)
        {
            var pairs = new List<string>();
            void Walk(object? node, string path)
            {
                if (node is Dictionary<string, object?> map && map.Count > 0)
                {
                    foreach (KeyValuePair<string, object?> pair in map)
                    {
                        Walk(pair.Value, path.Length == 0 ? pair.Key : $"{path}.{pair.Key}");
                    }
                }
                else
                {
                    pairs.Add($"{path}={Text(node)}");
                }
            }

            Walk(values, string.Empty);
            pairs.Sort(System.StringComparer.Ordinal);
            return pairs;
        }

        private static string Text(object? value) => value switch
        {
            null => "null",
            bool flag => flag ? "true" : "false",
            IEnumerable list and not string => "{" + string.Join(",", list.Cast<object?>().Select(Text)) + "}",
            _ => System.Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty,
        };

        public static string Yaml(Dictionary<string, object?> values) => new SerializerBuilder().Build().Serialize(values);
    }
}
