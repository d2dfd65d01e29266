using System;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace KedaAks.Engine.Kubernetes
{
    /// <summary>Retries throttled and failed Kubernetes requests (429, 500, 503, 504, connection errors) with back-off, honouring Retry-After.</summary>
    internal sealed class RetryHandler : DelegatingHandler
    {
        private readonly EngineOptions _options;

        public RetryHandler(EngineOptions options) => _options = options;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            TimeSpan delay = _options.KubernetesRetryDelay;
            int maxRetries = _options.KubernetesMaxRetries;
            for (int attempt = 0; ; attempt++)
            {
                HttpResponseMessage response;
                try
                {
                    response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
                }
                catch (HttpRequestException) when (attempt < maxRetries)
                {
                    await _options.Delay(delay, cancellationToken).ConfigureAwait(false);
                    delay += delay;
                    continue;
                }

                if (attempt >= maxRetries || response.StatusCode is not ((HttpStatusCode)429 or HttpStatusCode.InternalServerError or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout))
                {
                    return response;
                }

                TimeSpan wait = response.Headers.RetryAfter?.Delta ?? delay;
                response.Dispose();
                await _options.Delay(wait > TimeSpan.FromSeconds(30) ? TimeSpan.FromSeconds(30) : wait, cancellationToken).ConfigureAwait(false);
                delay += delay;
            }
        }
    }
}
