using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace KedaAks.Sandbox.Kubernetes
{
    /// <summary>
    /// Watch streams (newline-delimited JSON, as the API server writes them) for one resource type, filtered by
    /// namespace, labelSelector and a metadata.name fieldSelector. Changes are found by comparing snapshots, so
    /// clients see every object's latest state (intermediate states may merge, as a compacted watch cache's do).
    /// Honours resourceVersion, sendInitialEvents (with the initial-events-end bookmark) and timeoutSeconds.
    /// </summary>
    public sealed class WatchStreams
    {
        private readonly ClusterStore _store;
        private readonly Action _refresh;

        public WatchStreams(ClusterStore store, Action refresh)
        {
            _store = store;
            _refresh = refresh;
        }

        /// <summary>A GET with watch=true: answered as a stream of watch events, not a list.</summary>
        public static bool IsWatch(HttpContext context) =>
            HttpMethods.IsGet(context.Request.Method) && context.Request.Query["watch"].ToString() is "true" or "1";

        public async Task WatchAsync(HttpContext context, string path)
        {
            string[] segments = path.Trim('/').Split('/');
            bool core = segments[0] == "api";
            int versionIndex = core ? 1 : 2;
            string[] rest = segments.Skip(versionIndex + 1).ToArray();
            string? ns = rest.Length >= 3 && rest[0] == "namespaces" ? rest[1] : null;
            string plural = ns is null ? (rest.Length > 0 ? rest[0] : string.Empty) : rest[2];
            string group = core ? string.Empty : (segments.Length > 1 ? segments[1] : string.Empty);
            string version = segments.Length > versionIndex ? segments[versionIndex] : string.Empty;
            ResourceType? type;
            lock (_store.Sync)
            {
                type = _store.Find(group, version, plural);
            }

            if (type is null)
            {
                (int code, JsonNode? error) = KubernetesStatus.NoSuchResource();
                context.Response.StatusCode = code;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(error!.ToJsonString()).ConfigureAwait(false);
                return;
            }

            IQueryCollection query = context.Request.Query;
            var labels = query["labelSelector"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Replace("==", "=").Split('=', 2)).Where(p => p.Length == 2).ToList();
            string? fieldName = query["fieldSelector"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries)
                .Select(p => p.Replace("==", "=").Split('=', 2)).Where(p => p.Length == 2 && p[0] == "metadata.name").Select(p => p[1]).FirstOrDefault();
            string prefix = $"{type.Group}|{type.Plural}|{(type.Namespaced && ns is not null ? ns + "|" : string.Empty)}";
            bool initialEvents = query["sendInitialEvents"].ToString() == "true";
            string since = query["resourceVersion"].ToString();
            int timeout = int.TryParse(query["timeoutSeconds"], out int seconds) && seconds > 0 ? Math.Min(seconds, 600) : 300;

            Dictionary<string, JsonObject> Snapshot()
            {
                lock (_store.Sync)
                {
                    _refresh();
                    return _store.Objects.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal)
                            && (fieldName is null || p.Value["metadata"]?["name"]?.GetValue<string>() == fieldName)
                            && labels.All(s => p.Value["metadata"]?["labels"]?[s[0]]?.GetValue<string>() == s[1]))
                        .ToDictionary(p => p.Key, p => (JsonObject)p.Value.DeepClone(), StringComparer.Ordinal);
                }
            }

            Dictionary<string, JsonObject> known = Snapshot();
            if (initialEvents || since.Length == 0 || since == "0")
            {
                known = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
            }
            else if (long.TryParse(since, out long from))
            {
                // The client listed at 'from': it already knows what has not changed since.
                known = known.Where(p => long.Parse(Version(p.Value), CultureInfo.InvariantCulture) <= from).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
            }

            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json";
            CancellationToken aborted = context.RequestAborted;
            DateTimeOffset end = DateTimeOffset.UtcNow.AddSeconds(timeout);
            bool first = true;
            try
            {
                while (!aborted.IsCancellationRequested && DateTimeOffset.UtcNow < end)
                {
                    Dictionary<string, JsonObject> now = Snapshot();
                    List<(string Type, JsonObject Object)> events = Changes(known, now);
                    if (first && initialEvents)
                    {
                        events.Add(("BOOKMARK", Bookmark(type)));
                    }

                    first = false;
                    known = now;
                    if (events.Count > 0 || !context.Response.HasStarted)
                    {
                        var text = new System.Text.StringBuilder();
                        foreach ((string kind, JsonObject obj) in events)
                        {
                            text.Append(new JsonObject { ["type"] = kind, ["object"] = obj.DeepClone() }.ToJsonString()).Append('\n');
                        }

                        await context.Response.WriteAsync(text.ToString(), aborted).ConfigureAwait(false);
                        await context.Response.Body.FlushAsync(aborted).ConfigureAwait(false);
                    }

                    await Task.Delay(100, aborted).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
                // The client went away.
            }
        }

        private static string Version(JsonObject obj) => obj["metadata"]?["resourceVersion"]?.GetValue<string>() ?? "0";

        private static List<(string Type, JsonObject Object)> Changes(Dictionary<string, JsonObject> known, Dictionary<string, JsonObject> now)
        {
            var events = new List<(string Type, JsonObject Object)>();
            foreach ((string key, JsonObject obj) in now)
            {
                if (!known.TryGetValue(key, out JsonObject? before))
                {
                    events.Add(("ADDED", obj));
                }
                else if (Version(before) != Version(obj))
                {
                    events.Add(("MODIFIED", obj));
                }
            }

            events.AddRange(known.Where(p => !now.ContainsKey(p.Key)).Select(p => ("DELETED", p.Value)));
            return events;
        }

        private JsonObject Bookmark(ResourceType type)
        {
            string current;
            lock (_store.Sync)
            {
                current = _store.ResourceVersion.ToString(CultureInfo.InvariantCulture);
            }

            return new JsonObject
            {
                ["apiVersion"] = type.ApiVersion, ["kind"] = type.Kind,
                ["metadata"] = new JsonObject { ["resourceVersion"] = current, ["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" } },
            };
        }
    }
}
