using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace KedaAks.Sandbox.Server
{
    /// <summary>Writing answers the way every stand-in does: status, headers, JSON with quotes as \" (as Go's encoder writes them), not \u0022.</summary>
    public static class SandboxHttp
    {
        public static readonly JsonSerializerOptions JsonWriteOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        public static async Task WriteAsync(HttpContext context, int status, JsonNode? body, IReadOnlyDictionary<string, string>? headers = null)
        {
            context.Response.StatusCode = status;
            foreach (KeyValuePair<string, string> header in headers ?? new Dictionary<string, string>())
            {
                context.Response.Headers[header.Key] = header.Value;
            }

            if (body is not null)
            {
                context.Response.ContentType = "application/json; charset=utf-8";
                await context.Response.WriteAsync(body.ToJsonString(JsonWriteOptions)).ConfigureAwait(false);
            }
        }

        public static SandboxRequestFeature Request(HttpContext context) => context.Features.Get<SandboxRequestFeature>()!;
    }
}
