using System.Net;
using System.Net.Http;
using System.Net.Sockets;

namespace KedaAks.Engine.Kubernetes
{
    /// <summary>
    /// Retries throttled and failed Kubernetes requests (429, 500, 503, 504, connection errors, no answer within the network
    /// timeout) with back-off, honouring
    /// Retry-After, and says each retry in Verbose. A refused connection or a name that does not resolve is retried once:
    /// it rarely heals within seconds, and the user should hear about it at once.
    /// </summary>
    internal sealed class RetryHandler(EngineOptions options, IKedaAksHost host) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            TimeSpan delay = options.KubernetesRetryDelay;
            int maxRetries = options.KubernetesMaxRetries;
            string target = $"Kubernetes {request.Method} {request.RequestUri?.AbsolutePath}";
            for (int attempt = 0; ; attempt++)
            {
                HttpResponseMessage response;
                using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                attemptTimeout.CancelAfter(options.NetworkTimeout);
                try
                {
                    response = await base.SendAsync(request, attemptTimeout.Token).ConfigureAwait(false);
                }
                catch (HttpRequestException exception) when (attempt < (Hopeless(exception) ? Math.Min(1, maxRetries) : maxRetries))
                {
                    host.WriteVerbose($"{target} failed ({exception.Message}); retry {attempt + 1} of {maxRetries} in {delay.TotalSeconds:0.#} s.");
                    await options.Delay(delay, cancellationToken).ConfigureAwait(false);
                    delay += delay;
                    continue;
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // No answer within the network timeout: retried like a dropped connection, then reported as one.
                    string timedOut = $"no answer within {options.NetworkTimeout.TotalSeconds:0.#} s";
                    if (attempt >= maxRetries)
                    {
                        throw new HttpRequestException($"{target}: {timedOut}, {maxRetries} retries.");
                    }

                    host.WriteVerbose($"{target} failed ({timedOut}); retry {attempt + 1} of {maxRetries} in {delay.TotalSeconds:0.#} s.");
                    await options.Delay(delay, cancellationToken).ConfigureAwait(false);
                    delay += delay;
                    continue;
                }

                if (attempt >= maxRetries || response.StatusCode is not ((HttpStatusCode)429 or HttpStatusCode.InternalServerError or HttpStatusCode.ServiceUnavailable
                    or HttpStatusCode.GatewayTimeout))
                {
                    return response;
                }

                TimeSpan wait = response.Headers.RetryAfter?.Delta ?? delay;
                wait = wait > TimeSpan.FromSeconds(30) ? TimeSpan.FromSeconds(30) : wait;
                host.WriteVerbose($"{target} answered {(int)response.StatusCode}; retry {attempt + 1} of {maxRetries} in {wait.TotalSeconds:0.#} s.");
                if (wait >= TimeSpan.FromSeconds(5))
                {
                    host.WriteProgress("Waiting for the Kubernetes API server", $"retry {attempt + 1} of {maxRetries} in {wait.TotalSeconds:0} s");
                }

                response.Dispose();
                await options.Delay(wait, cancellationToken).ConfigureAwait(false);
                delay += delay;
            }
        }

        private static bool Hopeless(HttpRequestException exception) =>
            exception.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostNotFound or SocketError.NoData };
    }
}
