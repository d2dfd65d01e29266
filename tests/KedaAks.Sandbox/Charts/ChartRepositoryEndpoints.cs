using System;
using System.IO;
using System.Threading.Tasks;
using KedaAks.Sandbox.Server;
using Microsoft.AspNetCore.Http;

namespace KedaAks.Sandbox.Charts
{
    /// <summary>A Helm chart repository under /charts/ (what https://kedacore.github.io/charts serves): static files, GET only.</summary>
    public sealed class ChartRepositoryEndpoints : IEndpointGroup
    {
        private readonly SandboxOptions _options;

        public ChartRepositoryEndpoints(SandboxOptions options) => _options = options;

        public string Name => "chart-repository";

        public bool Matches(string path) => path.StartsWith("/charts/", StringComparison.Ordinal) && _options.ChartRepository is not null;

        public async Task HandleAsync(HttpContext context, string path)
        {
            string name = path["/charts/".Length..];
            string file = Path.Combine(_options.ChartRepository!, name);
            bool found = HttpMethods.IsGet(context.Request.Method) && name.Length > 0 && !name.Contains("..", StringComparison.Ordinal) && !name.Contains('/') && File.Exists(file);
            context.Response.StatusCode = found ? 200 : 404;
            if (found)
            {
                context.Response.ContentType = name.EndsWith(".yaml", StringComparison.Ordinal) ? "text/yaml" : "application/gzip";
                await context.Response.SendFileAsync(file).ConfigureAwait(false);
            }
        }
    }
}
