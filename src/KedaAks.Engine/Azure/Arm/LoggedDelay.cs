using System;
using System.Globalization;
using global::Azure;
using global::Azure.Core;

namespace KedaAks.Engine.Azure
{
    /// <summary>
    /// ARM's retry back-off (exponential, Retry-After honoured by Azure.Core) that says each retry in Verbose, so a slow
    /// command under throttling or faults is never silent: the status, which retry it is, and the wait.
    /// </summary>
    internal sealed class LoggedDelay : DelayStrategy
    {
        private readonly DelayStrategy _inner;
        private readonly IKedaAksHost _host;
        private readonly int _maxRetries;

        public LoggedDelay(TimeSpan initial, TimeSpan max, int maxRetries, IKedaAksHost host)
            : base(max, 0)
        {
            _inner = CreateExponentialDelayStrategy(initial, max);
            _host = host;
            _maxRetries = maxRetries;
        }

        protected override TimeSpan GetNextDelayCore(Response? response, int retryNumber)
        {
            TimeSpan delay = _inner.GetNextDelay(response, retryNumber);
            if (response?.Headers.TryGetValue("Retry-After", out string? after) == true
                && int.TryParse(after, NumberStyles.Integer, CultureInfo.InvariantCulture, out int seconds) && TimeSpan.FromSeconds(seconds) > delay)
            {
                delay = TimeSpan.FromSeconds(seconds);
            }

            string what = response is null ? "failed without an answer" : $"answered {response.Status}{(string.IsNullOrEmpty(response.ReasonPhrase) ? string.Empty : " " + response.ReasonPhrase)}";
            _host.WriteVerbose($"Azure Resource Manager {what}; retry {retryNumber} of {_maxRetries} in {delay.TotalSeconds:0.#} s.");
            if (delay >= TimeSpan.FromSeconds(5))
            {
                _host.WriteProgress("Waiting for Azure Resource Manager", $"retry {retryNumber} of {_maxRetries} in {delay.TotalSeconds:0} s");
            }

            return delay;
        }
    }
}
