using System;
using System.Globalization;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace KedaAks.Sandbox.Server.Middleware
{
    /// <summary>
    /// A seeded share of 429/500/503 answers: with the same seed and the same sequence of requests, the same
    /// requests fail. Rate and latency live in the options (so <see cref="SandboxServer.Options"/> shows them).
    /// </summary>
    public sealed class FaultInjector
    {
        private static readonly int[] Statuses = { 429, 500, 503 };
        private readonly object _lock = new();
        private readonly SandboxOptions _options;
        private Random _random;

        public FaultInjector(SandboxOptions options)
        {
            _options = options;
            _random = new Random(options.Seed);
        }

        public void Set(double rate, int seed, int latencyMilliseconds = 0)
        {
            lock (_lock)
            {
                _options.FaultRate = rate;
                _options.LatencyMilliseconds = latencyMilliseconds;
                _random = new Random(seed);
            }
        }

        /// <summary>The status of the fault for the next request, or 0 for none.</summary>
        public int Next()
        {
            lock (_lock)
            {
                return _options.FaultRate <= 0 || _random.NextDouble() >= _options.FaultRate ? 0 : Statuses[_random.Next(Statuses.Length)];
            }
        }

        public int LatencyMilliseconds
        {
            get
            {
                lock (_lock)
                {
                    return _options.LatencyMilliseconds;
                }
            }
        }
    }

    /// <summary>The configured latency, for the requests of faultable groups (faulted or not).</summary>
    public sealed class LatencyMiddleware : IMiddleware
    {
        private readonly FaultInjector _faults;

        public LatencyMiddleware(FaultInjector faults) => _faults = faults;

        public async Task InvokeAsync(HttpContext context, RequestDelegate next)
        {
            int latency = SandboxHttp.Request(context).Group.Faultable ? _faults.LatencyMilliseconds : 0;
            if (latency > 0)
            {
                await Task.Delay(latency).ConfigureAwait(false);
            }

            await next(context).ConfigureAwait(false);
        }
    }

    /// <summary>Answers a faultable group's request with an injected fault (in the service's error shape) before it is processed.</summary>
    public sealed class FaultInjectionMiddleware : IMiddleware
    {
        private readonly FaultInjector _faults;
        private readonly SandboxOptions _options;

        public FaultInjectionMiddleware(FaultInjector faults, SandboxOptions options)
        {
            _faults = faults;
            _options = options;
        }

        public async Task InvokeAsync(HttpContext context, RequestDelegate next)
        {
            SandboxRequestFeature request = SandboxHttp.Request(context);
            int status = request.Group.Faultable ? _faults.Next() : 0;
            if (status == 0)
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            if (status == 429)
            {
                context.Response.Headers.RetryAfter = _options.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            }

            (string code, string message) = Describe(status);
            request.Faulted = true;
            await SandboxHttp.WriteAsync(context, status, request.Group.FaultBody(status, code, message)).ConfigureAwait(false);
        }

        /// <summary>ARM's code and message for each injected status.</summary>
        public static (string Code, string Message) Describe(int status) => status switch
        {
            429 => ("TooManyRequests", "The request is being throttled as the limit has been reached for operation type. For more information, see https://aka.ms/armthrottling"),
            500 => ("InternalServerError", "Encountered internal server error. Diagnostic information: timestamp '" + DateTimeOffset.UtcNow.ToString("yyyyMMddTHHmmssZ") + "'."),
            _ => ("ServiceUnavailable", "The service is currently unavailable. Please try again later."),
        };
    }
}
