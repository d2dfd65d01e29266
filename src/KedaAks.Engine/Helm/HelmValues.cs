using System.Collections;
using System.Collections.Generic;
using System.Linq;
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

        public static string Yaml(Dictionary<string, object?> values) => new SerializerBuilder().Build().Serialize(values);
    }
}
