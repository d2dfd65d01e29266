using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace KedaAks.Sandbox.Server
{
    /// <summary>How the request log records a group's requests.</summary>
    public enum RequestLogging
    {
        /// <summary>Not recorded (the /_sandbox/ control endpoints).</summary>
        None,

        /// <summary>Recorded with the path only (the token endpoint: nothing of a grant is kept).</summary>
        Path,

        /// <summary>Recorded with path and query string.</summary>
        PathAndQuery,
    }

    /// <summary>
    /// One service of the sandbox (ARM, Entra, Kubernetes, the workspace query endpoint, the chart repository, the
    /// control endpoints): which requests are its, how the middleware treats them, and the handler. Register one
    /// with <see cref="EndpointRegistry.Add"/>; the first group whose <see cref="Matches"/> is true answers.
    /// </summary>
    public interface IEndpointGroup
    {
        string Name { get; }

        bool Matches(string path);

        Task HandleAsync(HttpContext context, string path);

        RequestLogging Logging => RequestLogging.PathAndQuery;

        /// <summary>Whether fault injection and latency apply (the services whose clients retry).</summary>
        bool Faultable => false;

        /// <summary>The body of an injected fault (429, 500 or 503) in the service's own error shape.</summary>
        System.Text.Json.Nodes.JsonNode? FaultBody(int status, string code, string message) => null;

        /// <summary>Checks the caller; when it answers false it has written the refusal (401 with the service's body).</summary>
        Task<bool> AuthorizeAsync(HttpContext context) => Task.FromResult(true);
    }
}
