using System;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using KedaAks.Sandbox.Arm;
using KedaAks.Sandbox.Server;
using Microsoft.AspNetCore.Http;

namespace KedaAks.Sandbox.Kubernetes
{
    /// <summary>
    /// A Kubernetes API (/version, /openapi/, /api, /apis): bearer tokens or client certificates checked, faults as Status bodies, watches streamed, logs as text. The main
    /// cluster's is at the root; each fleet cluster's under /fleet/&lt;name&gt;/ (one group routes them all: <see cref="FleetClusters"/>).
    /// </summary>
    public sealed class KubernetesEndpoints : IEndpointGroup
    {
        private readonly Func<string, (KubernetesStandIn Cluster, string Path)?> _route;
        private readonly TokenService _tokens;
        private readonly SandboxCertificates _certificates;

        public KubernetesEndpoints(KubernetesStandIn cluster, TokenService tokens, SandboxCertificates certificates)
            : this("kubernetes", path => KubernetesStandIn.Handles(path) ? (cluster, path) : null, tokens, certificates)
        {
        }

        /// <summary>A group whose <paramref name="route"/> picks the cluster of a path and the path inside its API (null: not this group's).</summary>
        public KubernetesEndpoints(string name, Func<string, (KubernetesStandIn Cluster, string Path)?> route, TokenService tokens, SandboxCertificates certificates)
        {
            Name = name;
            _route = route;
            _tokens = tokens;
            _certificates = certificates;
        }

        public string Name { get; }

        public bool Faultable => true;

        public bool Matches(string path) => _route(path) is not null;

        public JsonNode? FaultBody(int status, string code, string message) => KubernetesStatus.Status(status,
            status == 429 ? "TooManyRequests" : status == 500 ? "InternalError" : "ServiceUnavailable",
            status == 429 ? "the server has received too many requests and has asked us to try again later" : message).Item2;

        public async Task<bool> AuthorizeAsync(HttpContext context)
        {
            if (_route(SandboxHttp.Request(context).Path) is { } route && (route.Cluster.Authorized(context.Request.Headers.Authorization, _tokens)
                || route.Cluster.AuthorizedByCertificate(context.Connection.ClientCertificate, _certificates)))
            {
                return true;
            }

            await SandboxHttp.WriteAsync(context, 401, KubernetesStatus.Status(401, "Unauthorized", "Unauthorized").Item2).ConfigureAwait(false);
            return false;
        }

        public async Task HandleAsync(HttpContext context, string path)
        {
            (KubernetesStandIn cluster, string inner) = _route(path)!.Value;
            if (cluster.ApiServerStatus != 0)
            {
                // A broken gateway in front of the API server: its HTML page, not a Kubernetes Status.
                context.Response.StatusCode = cluster.ApiServerStatus;
                context.Response.ContentType = "text/html";
                await context.Response.WriteAsync($"<html><head><title>{cluster.ApiServerStatus} Bad Gateway</title></head><body><center><h1>{cluster.ApiServerStatus} Bad Gateway"
                    + "</h1></center><hr><center>nginx</center></body></html>").ConfigureAwait(false);
                return;
            }

            path = inner;
            if (KubernetesStandIn.IsWatch(context))
            {
                await cluster.WatchAsync(context, path).ConfigureAwait(false);
                return;
            }

            (int code, JsonNode? answer) = (500, null);
            try
            {
                (code, answer) = await cluster.HandleAsync(context, path).ConfigureAwait(false);
                if (answer is JsonValue plain && plain.TryGetValue(out string? text))
                {
                    // Pod logs are text, not JSON.
                    context.Response.StatusCode = code;
                    context.Response.ContentType = "text/plain";
                    await context.Response.WriteAsync(text).ConfigureAwait(false);
                    return;
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // A bug in the stand-in, not a simulated fault: say so loudly.
                (code, answer) = KubernetesStatus.Status(500, "InternalError", "sandbox stand-in failure: " + exception);
            }

            await SandboxHttp.WriteAsync(context, code, answer).ConfigureAwait(false);
        }
    }
}
