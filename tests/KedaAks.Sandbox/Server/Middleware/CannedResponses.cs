using System;
using System.Collections.Generic;
using System.Text;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace KedaAks.Sandbox.Server.Middleware
{
    /// <summary>
    /// Answers that are not the service's own: a proxy's sign-in page, a gateway's HTML error, a truncated body. Tests
    /// put one up for the next N requests whose path starts with a prefix (/_sandbox/respond); the request log records them.
    /// </summary>
    public sealed class CannedResponses
    {
        private readonly object _lock = new();
        private readonly List<Rule> _rules = new();

        public void Add(string pathPrefix, int status, string contentType, string body, int count)
        {
            lock (_lock)
            {
                _rules.Add(new Rule(pathPrefix, status, contentType, body) { Remaining = count });
            }
        }

        public void Clear()
        {
            lock (_lock)
            {
                _rules.Clear();
            }
        }

        /// <summary>The canned answer for this path, counted down; null when none applies.</summary>
        internal Rule? Take(string path)
        {
            lock (_lock)
            {
                Rule? rule = _rules.Find(r => r.Remaining > 0 && path.StartsWith(r.PathPrefix, StringComparison.OrdinalIgnoreCase));
                if (rule is not null)
                {
                    rule.Remaining--;
                }

                return rule;
            }
        }

        internal sealed record Rule(string PathPrefix, int Status, string ContentType, string Body)
        {
            public int Remaining { get; set; }
        }
    }

    /// <summary>Serves a canned answer instead of the service (faultable groups only; control endpoints always answer).</summary>
    public sealed class CannedResponseMiddleware : IMiddleware
    {
        private readonly CannedResponses _responses;

        public CannedResponseMiddleware(CannedResponses responses) => _responses = responses;

        public async Task InvokeAsync(HttpContext context, RequestDelegate next)
        {
            SandboxRequestFeature request = SandboxHttp.Request(context);
            if (!request.Group.Faultable || _responses.Take(request.Path) is not { } rule)
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            request.Faulted = true;
            byte[] bytes = Encoding.UTF8.GetBytes(rule.Body);
            context.Response.StatusCode = rule.Status;
            context.Response.ContentType = rule.ContentType;
            context.Response.ContentLength = bytes.Length;
            await context.Response.Body.WriteAsync(bytes).ConfigureAwait(false);
        }
    }
}
