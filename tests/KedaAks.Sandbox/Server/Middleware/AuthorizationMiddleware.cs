using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace KedaAks.Sandbox.Server.Middleware
{
    /// <summary>Token validation: each group checks its callers (ARM and Kubernetes tokens); a refused request goes no further.</summary>
    public sealed class AuthorizationMiddleware : IMiddleware
    {
        public async Task InvokeAsync(HttpContext context, RequestDelegate next)
        {
            if (await SandboxHttp.Request(context).Group.AuthorizeAsync(context).ConfigureAwait(false))
            {
                await next(context).ConfigureAwait(false);
            }
        }
    }
}
