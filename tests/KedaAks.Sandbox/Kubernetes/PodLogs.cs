using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace KedaAks.Sandbox.Kubernetes
{
    /// <summary>
    /// Container logs: lines kept per pod, GET .../pods/&lt;name&gt;/log with sinceSeconds, tailLines and timestamps
    /// (answered as text), and the KEDA operator's lines made on each read by the operator simulation.
    /// </summary>
    public sealed class PodLogs
    {
        private readonly ClusterStore _store;
        private readonly Dictionary<string, List<(DateTimeOffset Time, string Line)>> _logs = new(StringComparer.Ordinal);

        public PodLogs(ClusterStore store) => _store = store;

        /// <summary>One KEDA polling cycle as seen from an operator pod (see KedaOperatorSimulator).</summary>
        public Func<JsonObject, IEnumerable<string>>? OperatorCycle { get; set; }

        /// <summary>Creates a running pod (and its namespace) if missing, with labels, and appends lines to its log. Callers hold the lock.</summary>
        public void Add(string ns, string pod, IDictionary<string, string> labels, IEnumerable<(DateTimeOffset Time, string Line)> lines)
        {
            string key = ClusterStore.Key(_store.Kind("pods"), ns, pod);
            if (!_store.NamespaceExists(ns))
            {
                _store.AddNamespace(ns);
            }

            if (!_store.Objects.ContainsKey(key))
            {
                var labelObject = new JsonObject();
                foreach (KeyValuePair<string, string> label in labels)
                {
                    labelObject[label.Key] = label.Value;
                }

                _store.Put(key, _store.Stamp(new JsonObject
                {
                    ["apiVersion"] = "v1", ["kind"] = "Pod",
                    ["metadata"] = new JsonObject { ["name"] = pod, ["labels"] = labelObject },
                    ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "keda-operator", ["image"] = "ghcr.io/kedacore/keda:2.20.2" }) },
                    ["status"] = new JsonObject { ["phase"] = "Running" },
                }, created: true));
            }

            Lines(key).AddRange(lines);
        }

        public (int, JsonNode?) Read(SubresourceRequest request)
        {
            string key = ClusterStore.Key(request.Type, request.Namespace, request.Name);
            if (!_store.Objects.TryGetValue(key, out JsonObject? pod))
            {
                return KubernetesStatus.ObjectNotFound(request.Type, request.Name);
            }

            if (OperatorCycle is not null && pod["metadata"]?["labels"]?["app"]?.GetValue<string>() == "keda-operator")
            {
                // The operator has run one polling cycle since the last read: its lines come from the real state.
                Lines(key).AddRange(OperatorCycle(pod).Select(line => (DateTimeOffset.UtcNow, line)));
            }

            IQueryCollection query = request.Context.Request.Query;
            IEnumerable<(DateTimeOffset Time, string Line)> lines = _logs.TryGetValue(key, out var log) ? log : Enumerable.Empty<(DateTimeOffset, string)>();
            if (long.TryParse(query["sinceSeconds"], out long since))
            {
                lines = lines.Where(l => l.Time >= DateTimeOffset.UtcNow.AddSeconds(-since));
            }

            if (int.TryParse(query["tailLines"], out int tail))
            {
                lines = lines.TakeLast(tail);
            }

            bool timestamps = query["timestamps"] == "true";
            string text = string.Concat(lines.Select(l => (timestamps ? l.Time.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture) + " " : string.Empty) + l.Line + "\n"));
            return (200, JsonValue.Create(text));
        }

        private List<(DateTimeOffset Time, string Line)> Lines(string key)
        {
            if (!_logs.TryGetValue(key, out var log))
            {
                log = new List<(DateTimeOffset, string)>();
                _logs[key] = log;
            }

            return log;
        }
    }
}
