using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using KedaAks.Sandbox.Arm;
using Microsoft.AspNetCore.Http;

namespace KedaAks.Sandbox.Server.Middleware
{
    /// <summary>The requests the sandbox answered (no bodies, no headers: nothing secret is kept; the TLS connection each came on), and the counts tests assert on.</summary>
    public sealed class RequestLog
    {
        private readonly ConcurrentQueue<SandboxRequest> _requests = new();

        public IReadOnlyList<SandboxRequest> Requests => _requests.ToArray();

        /// <summary>Requests that changed ARM state (faulted and failed ones excluded; not Entra's or the Kubernetes API's POSTs, e.g. TokenRequests, nor Resource Graph queries).</summary>
        public int WriteCount => _requests.Count(r => !r.Faulted && r.Status < 400 && r.Service is "arm" or "" && IsArm(r.Path) && ArmStandIn.IsWrite(r.Method, r.Path)
            && !r.Path.StartsWith("/providers/Microsoft.ResourceGraph/", StringComparison.OrdinalIgnoreCase));

        /// <summary>Requests that changed Kubernetes state: create, replace, patch or delete under /api or /apis, not dry runs, not TokenRequests.</summary>
        public int KubernetesWriteCount => _requests.Count(r => !r.Faulted && r.Status < 400 && IsKubernetesWrite(r.Method, r.Path));

        /// <summary>Requests other than token requests.</summary>
        public int RequestCount => _requests.Count(r => !r.Path.Contains("/oauth2/", StringComparison.Ordinal));

        public int FaultCount => _requests.Count(r => r.Faulted);

        public void Add(SandboxRequest request) => _requests.Enqueue(request);

        /// <summary>ARM's paths (subscriptions and providers); Entra's and the Kubernetes API's POSTs (token requests) are not ARM writes.</summary>
        public static bool IsArm(string path) =>
            path.StartsWith("/subscriptions", StringComparison.OrdinalIgnoreCase) || path.StartsWith("/providers/", StringComparison.OrdinalIgnoreCase);

        public static bool IsKubernetesWrite(string method, string pathAndQuery) =>
            IsKubernetesWriteInCluster(method, Kubernetes.FleetClusters.InnerPath(pathAndQuery));

        private static bool IsKubernetesWriteInCluster(string method, string pathAndQuery) =>
            method is "POST" or "PUT" or "PATCH" or "DELETE"
            && (pathAndQuery.StartsWith("/api/", StringComparison.Ordinal) || pathAndQuery.StartsWith("/apis/", StringComparison.Ordinal))
            && !pathAndQuery.Contains("dryRun=All", StringComparison.OrdinalIgnoreCase)
            && !pathAndQuery.Split('?')[0].EndsWith("/token", StringComparison.Ordinal);

        public void Clear() => _requests.Clear();
    }

    /// <summary>Records every answered request of a logged group, once its answer is written.</summary>
    public sealed class RequestLogMiddleware : IMiddleware
    {
        private readonly RequestLog _log;

        public RequestLogMiddleware(RequestLog log) => _log = log;

        public async Task InvokeAsync(HttpContext context, RequestDelegate next)
        {
            SandboxRequestFeature request = SandboxHttp.Request(context);
            await next(context).ConfigureAwait(false);
            if (request.Group.Logging is RequestLogging.None)
            {
                return;
            }

            string path = request.Group.Logging is RequestLogging.Path ? request.Path : request.Path + context.Request.QueryString.Value;
            _log.Add(new SandboxRequest(DateTimeOffset.UtcNow, context.Request.Method, path, context.Response.StatusCode, request.Faulted, request.Start, request.Fault,
                request.Group.Name, context.Connection.Id));
        }
    }
}
