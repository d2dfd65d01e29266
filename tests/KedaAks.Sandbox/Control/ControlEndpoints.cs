using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using KedaAks.Sandbox.Server;
using KedaAks.Sandbox.Server.Middleware;
using Microsoft.AspNetCore.Http;

namespace KedaAks.Sandbox.Control
{
    /// <summary>
    /// /_sandbox/&lt;action&gt;: what tests ask the sandbox itself (counts, the request log, stored resources) and
    /// tell it (faults, pod logs). Never logged, never faulted. A new action is one <see cref="Map"/> call.
    /// </summary>
    public sealed class ControlEndpoints : IEndpointGroup
    {
        private const string Prefix = "/_sandbox/";
        private readonly Dictionary<string, Func<HttpContext, Task<JsonNode?>>> _actions = new(StringComparer.Ordinal);

        public ControlEndpoints(SandboxServer server)
        {
            Map("stats", _ => Answer(new JsonObject
            {
                ["requests"] = server.RequestLog.RequestCount,
                ["writes"] = server.RequestLog.WriteCount,
                ["kubernetesWrites"] = server.RequestLog.KubernetesWriteCount,
                ["faults"] = server.RequestLog.FaultCount,
                ["requestsByService"] = Counts(server.RequestLog.Requests.GroupBy(r => r.Service).ToDictionary(g => g.Key, g => g.Count())),
                ["faultsByKind"] = Counts(server.Faults.ByKind),
                ["faultsByService"] = Counts(server.Faults.ByService),
                ["state"] = server.StateCounts(),
            }));
            Map("requests", _ => Answer(JsonSerializer.SerializeToNode(server.Requests)));
            Map("resources", context => Answer(new JsonArray(server.Arm.Snapshot(context.Request.Query["type"]).Select(r => (JsonNode)r).ToArray())));
            Map("pod-log", async context =>
            {
                string podNamespace = context.Request.Query["namespace"].FirstOrDefault() ?? "keda";
                string pod = context.Request.Query["pod"].FirstOrDefault() ?? "keda-operator-0";
                using var reader = new StreamReader(context.Request.Body);
                string body = await reader.ReadToEndAsync().ConfigureAwait(false);
                server.Kubernetes.AddPodLog(podNamespace, pod, new Dictionary<string, string> { ["app"] = "keda-operator", ["app.kubernetes.io/name"] = "keda-operator" },
                    body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => (DateTimeOffset.UtcNow, l.TrimEnd('\r'))));
                return new JsonObject();
            });
            Map("clear-log", _ =>
            {
                server.ClearLog();
                return Answer(new JsonObject());
            });
            Map("respond", context =>
            {
                IQueryCollection query = context.Request.Query;
                if (query["clear"].FirstOrDefault() == "true")
                {
                    server.Responses.Clear();
                    return Answer(new JsonObject { ["cleared"] = true });
                }

                string prefix = query["path"].FirstOrDefault() ?? "/";
                int status = int.Parse(query["status"].FirstOrDefault() ?? "200", CultureInfo.InvariantCulture);
                int count = int.Parse(query["count"].FirstOrDefault() ?? "1", CultureInfo.InvariantCulture);
                server.Responses.Add(prefix, status, query["contentType"].FirstOrDefault() ?? "text/html", query["body"].FirstOrDefault() ?? string.Empty, count);
                return Answer(new JsonObject { ["path"] = prefix, ["status"] = status, ["count"] = count });
            });
            // faults?rate=0.2&seed=1[&latency=ms][&kinds=429,500,503,timeout,drop][&services=arm,entra,kubernetes,workspace-query][&hang=s][&exempt=Helm]
            Map("faults", context =>
            {
                IQueryCollection query = context.Request.Query;
                double rate = double.Parse(query["rate"].FirstOrDefault() ?? "0", CultureInfo.InvariantCulture);
                int seed = int.Parse(query["seed"].FirstOrDefault() ?? "1", CultureInfo.InvariantCulture);
                int latency = int.Parse(query["latency"].FirstOrDefault() ?? "0", CultureInfo.InvariantCulture);
                List<string>? List(string name) => query[name].FirstOrDefault() is { } text ? text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList() : null;
                List<FaultKind>? kinds = List("kinds")?.Select(FaultInjector.Parse).ToList();
                TimeSpan? hang = query["hang"].FirstOrDefault() is { } seconds ? TimeSpan.FromSeconds(double.Parse(seconds, CultureInfo.InvariantCulture)) : null;
                server.Faults.Set(rate, seed, latency, kinds, List("services"), hang, List("exempt"));
                return Answer(new JsonObject
                {
                    ["rate"] = rate, ["seed"] = seed,
                    ["kinds"] = new JsonArray(server.Options.FaultKinds.Select(k => (JsonNode)FaultInjector.Label(k)).ToArray()),
                    ["services"] = new JsonArray(server.Faults.Services.Select(s => (JsonNode)s).ToArray()),
                    ["hang"] = server.Faults.Hang.TotalSeconds,
                });
            });
        }

        public string Name => "control";

        public RequestLogging Logging => RequestLogging.None;

        public IReadOnlyCollection<string> Actions => _actions.Keys;

        public bool Matches(string path) => path.StartsWith(Prefix, StringComparison.Ordinal);

        /// <summary>Adds (or replaces) the action answered at /_sandbox/&lt;name&gt; with 200 and the handler's JSON.</summary>
        public void Map(string name, Func<HttpContext, Task<JsonNode?>> handler) => _actions[name] = handler;

        public async Task HandleAsync(HttpContext context, string path)
        {
            if (_actions.TryGetValue(path[Prefix.Length..], out var action))
            {
                await SandboxHttp.WriteAsync(context, 200, await action(context).ConfigureAwait(false)).ConfigureAwait(false);
                return;
            }

            await SandboxHttp.WriteAsync(context, 404, new JsonObject { ["error"] = "unknown control endpoint" }).ConfigureAwait(false);
        }

        private static Task<JsonNode?> Answer(JsonNode? body) => Task.FromResult(body);

        private static JsonObject Counts(IEnumerable<KeyValuePair<string, int>> counts) =>
            new(counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => KeyValuePair.Create(c.Key, (JsonNode?)c.Value)));
    }
}
