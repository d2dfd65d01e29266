using System;
using System.Collections.Generic;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace KedaAks.Sandbox.Kubernetes
{
    /// <summary>One request to a subresource: its kind, namespace, object name, the HTTP context and the (JSON) body.</summary>
    public sealed record SubresourceRequest(ResourceType Type, string? Namespace, string Name, HttpContext Context, string Body);

    /// <summary>
    /// The subresources the stand-in serves beyond the object itself: a handler per (plural, subresource, verb),
    /// e.g. ("pods", "log", "GET"). "status" is served by the object's own handlers, as before; a new one (such
    /// as "scale" for HorizontalPodAutoscalers) is one <see cref="Register"/> call.
    /// </summary>
    public sealed class Subresources
    {
        private readonly Dictionary<(string Plural, string Subresource, string Method), Func<SubresourceRequest, (int, JsonNode?)>> _handlers = new();

        public void Register(string plural, string subresource, string method, Func<SubresourceRequest, (int, JsonNode?)> handler) =>
            _handlers[(plural, subresource, method)] = handler;

        public Func<SubresourceRequest, (int, JsonNode?)>? Find(ResourceType? type, string? subresource, string method, string? name) =>
            type is not null && subresource is not null && name is not null && _handlers.TryGetValue((type.Plural, subresource, method), out var handler) ? handler : null;

        /// <summary>Subresources answered by the object's own verbs (GET/PUT/PATCH .../status).</summary>
        public static bool ServedByObject(string? subresource) => subresource is null or "status";
    }
}
