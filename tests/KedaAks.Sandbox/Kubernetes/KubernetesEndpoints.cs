using System;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using KedaAks.Sandbox.Arm;
using KedaAks.Sandbox.Server;
using Microsoft.AspNetCore.Http;

namespace KedaAks.Sandbox.Kubernetes
{
    /// <summary>The Kubernetes API (/version, /openapi/, /api, /apis): bearer tokens checked, faults as Status bodies, watches streamed, logs as text.</summary>
    public sealed class KubernetesEndpoints : IEndpointGroup
    {
        private readonly KubernetesStandIn _cluster;
        private readonly TokenService _tokens;

        public KubernetesEndpoints(KubernetesStandIn cluster, TokenService tokens)
        {
            _cluster = cluster;
            _tokens = tokens;
        }

        public string Name => "kubernetes";

        public bool Faultable => true;

        public bool Matches(string path) => KubernetesStandIn.Handles(path);

        public JsonNode? FaultBody(int status, string code, string message) => KubernetesStatus.Status(status,
            status == 429 ? "TooManyRequests" : status == 500 ? "InternalError" : "ServiceUnavailable",
            status == 429 ? "the server has received too many requests and has asked us to try again later" : message).Item2;

        public async Task<bool> AuthorizeAsync(HttpContext context)
        {
            if (_cluster.Authorized(context.Request.Headers.Authorization, _tokens))
            {
                return true;
            }

            await SandboxHttp.WriteAsync(context, 401, KubernetesStatus.Status(401, "Unauthorized", "Unauthorized").Item2).ConfigureAwait(false);
            return false;
        }

        public async Task HandleAsync(HttpContext context, string path)
        {
            if (KubernetesStandIn.IsWatch(context))
            {
                await _cluster.WatchAsync(context, path).ConfigureAwait(false);
                return;
            }

            (int code, JsonNode? answer) = (500, null);
            try
            {
                (code, answer) = await _cluster.HandleAsync(context, path).ConfigureAwait(false);
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
