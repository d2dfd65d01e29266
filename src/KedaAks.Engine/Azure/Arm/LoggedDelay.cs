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

        public const string QuotaRemainingHeader = "x-ms-user-quota-remaining";

        public const string QuotaResetsAfterHeader = "x-ms-user-quota-resets-after";

        /// <summary>Resource Graph's x-ms-user-quota-resets-after ("00:00:03"), or null when absent or not a time span.</summary>
        public static TimeSpan? QuotaReset(string? value) =>
            TimeSpan.TryParseExact(value, @"hh\:mm\:ss", CultureInfo.InvariantCulture, out TimeSpan reset) || TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out reset)
                ? reset < TimeSpan.Zero ? TimeSpan.Zero : reset : null;

        protected override TimeSpan GetNextDelayCore(Response? response, int retryNumber)
        {
            TimeSpan delay = _inner.GetNextDelay(response, retryNumber);
            if (response?.Headers.TryGetValue("Retry-After", out string? after) == true
                && int.TryParse(after, NumberStyles.Integer, CultureInfo.InvariantCulture, out int seconds) && TimeSpan.FromSeconds(seconds) > delay)
            {
                delay = TimeSpan.FromSeconds(seconds);
            }

            // Azure Resource Graph says when its per-user quota comes back (hh:mm:ss) rather than, or as well as, Retry-After.
            if (response?.Status == 429 && QuotaReset(response.Headers.TryGetValue(QuotaResetsAfterHeader, out string? resets) ? resets : null) is { } reset && reset > delay)
            {
                delay = reset;
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
