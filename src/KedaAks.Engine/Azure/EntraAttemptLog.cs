using global::Azure.Core;
using global::Azure.Core.Pipeline;

namespace KedaAks.Engine.Azure
{
    /// <summary>
    /// Says each failed Entra token request in Verbose (status or network error, attempt number), so Azure.Identity's own retries
    /// are never silent. Credentials are cached per process, so the host to tell is the one of the call that is asking for a token:
    /// it flows with that call (<see cref="Use"/>), never a static that another runspace could see.
    /// </summary>
    internal sealed class EntraAttemptLog : HttpPipelinePolicy
    {
        private static readonly AsyncLocal<IKedaAksHost?> CurrentHost = new();
        private readonly int _maxRetries;

        public EntraAttemptLog(int maxRetries) => _maxRetries = maxRetries;

        /// <summary>Token requests made until the returned scope ends report to <paramref name="host"/>.</summary>
        public static IDisposable Use(IKedaAksHost host)
        {
            IKedaAksHost? previous = CurrentHost.Value;
            CurrentHost.Value = host;
            return new Restore(previous);
        }

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            try
            {
                await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
            }
            catch (Exception exception) when (Say(message, $"failed ({exception.Message.Split('\n')[0].Trim()})"))
            {
                throw;
            }

            if (message.HasResponse && message.Response.Status is 408 or 429 or >= 500)
            {
                Say(message, $"answered {message.Response.Status}");
            }
        }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) => ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

        /// <summary>Writes the line; false, so an exception filter using it never catches.</summary>
        private bool Say(HttpMessage message, string what)
        {
            int attempt = message.ProcessingContext.RetryNumber + 1;
            CurrentHost.Value?.WriteVerbose($"Entra token request to {message.Request.Uri.Host} {what} (attempt {attempt} of {_maxRetries + 1}).");
            return false;
        }

        private sealed class Restore : IDisposable
        {
            private readonly IKedaAksHost? _previous;

            public Restore(IKedaAksHost? previous) => _previous = previous;

            public void Dispose() => CurrentHost.Value = _previous;
        }
    }
}
