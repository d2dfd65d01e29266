using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace KedaAks.Sandbox.Server.Middleware
{
    /// <summary>What an injected fault does to a request, before the service sees it.</summary>
    public enum FaultKind
    {
        None,

        /// <summary>429 with Retry-After, in the service's error shape.</summary>
        Throttled,

        /// <summary>500, in the service's error shape.</summary>
        ServerError,

        /// <summary>503, in the service's error shape.</summary>
        Unavailable,

        /// <summary>No answer: the request hangs (longer than the client's timeout), then the connection is aborted.</summary>
        Timeout,

        /// <summary>The connection is aborted at once, no answer.</summary>
        Drop,
    }

    /// <summary>
    /// A seeded share of faults (429/500/503, hangs, dropped connections) for the services asked for: with the same
    /// seed and the same sequence of requests, the same requests fail in the same way. Rate and latency live in the
    /// options (so <see cref="SandboxServer.Options"/> shows them); the kinds, services and hang are set here too.
    /// </summary>
    public sealed class FaultInjector
    {
        public static readonly FaultKind[] StatusKinds = { FaultKind.Throttled, FaultKind.ServerError, FaultKind.Unavailable };

        private readonly object _lock = new();
        private readonly SandboxOptions _options;
        private readonly ConcurrentDictionary<string, int> _byKind = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, int> _byService = new(StringComparer.Ordinal);
        private Random _random;

        public FaultInjector(SandboxOptions options)
        {
            _options = options;
            _random = new Random(options.Seed);
        }

        /// <summary>Sets rate, seed and latency; null kinds, services, hang or exemptions keep what is set. Counters restart.</summary>
        public void Set(double rate, int seed, int latencyMilliseconds = 0, IReadOnlyList<FaultKind>? kinds = null, IReadOnlyList<string>? services = null,
            TimeSpan? hang = null, IReadOnlyList<string>? exemptUserAgents = null)
        {
            lock (_lock)
            {
                _options.FaultRate = rate;
                _options.LatencyMilliseconds = latencyMilliseconds;
                _options.FaultKinds = kinds?.ToList() ?? _options.FaultKinds;
                _options.FaultServices = services?.ToList() ?? _options.FaultServices;
                _options.FaultHang = hang ?? _options.FaultHang;
                _options.FaultExemptUserAgents = exemptUserAgents?.ToList() ?? _options.FaultExemptUserAgents;
                _random = new Random(seed);
                _byKind.Clear();
                _byService.Clear();
            }
        }

        /// <summary>The services faults go to: those set, else ARM and Kubernetes (and Entra with <see cref="SandboxOptions.EntraFaults"/>).</summary>
        public IReadOnlyList<string> Services
        {
            get
            {
                lock (_lock)
                {
                    return (IReadOnlyList<string>?)_options.FaultServices ?? (_options.EntraFaults ? new[] { "arm", "kubernetes", "entra" } : new[] { "arm", "kubernetes" });
                }
            }
        }

        public TimeSpan Hang
        {
            get
            {
                lock (_lock)
                {
                    return _options.FaultHang;
                }
            }
        }

        /// <summary>The fault for the next request of a service (None for most), counted by kind and service.</summary>
        public FaultKind Next(string service, string? userAgent = null)
        {
            FaultKind kind;
            lock (_lock)
            {
                bool exempt = userAgent is not null && _options.FaultExemptUserAgents.Any(a => userAgent.StartsWith(a, StringComparison.OrdinalIgnoreCase));
                if (_options.FaultRate <= 0 || exempt || !Services.Contains(service, StringComparer.Ordinal) || _random.NextDouble() >= _options.FaultRate)
                {
                    return FaultKind.None;
                }

                IReadOnlyList<FaultKind> kinds = _options.FaultKinds.Count > 0 ? _options.FaultKinds : StatusKinds;
                kind = kinds[_random.Next(kinds.Count)];
            }

            _byKind.AddOrUpdate(Label(kind), 1, (_, n) => n + 1);
            _byService.AddOrUpdate(service, 1, (_, n) => n + 1);
            return kind;
        }

        public IReadOnlyDictionary<string, int> ByKind => new SortedDictionary<string, int>(_byKind, StringComparer.Ordinal);

        public IReadOnlyDictionary<string, int> ByService => new SortedDictionary<string, int>(_byService, StringComparer.Ordinal);

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

        public static int Status(FaultKind kind) => kind switch { FaultKind.Throttled => 429, FaultKind.ServerError => 500, FaultKind.Unavailable => 503, _ => 0 };

        /// <summary>The kind as the control endpoint and the request log name it: 429, 500, 503, timeout, drop.</summary>
        public static string Label(FaultKind kind) => kind switch
        {
            FaultKind.Timeout => "timeout",
            FaultKind.Drop => "drop",
            _ => Status(kind).ToString(CultureInfo.InvariantCulture),
        };

        public static FaultKind Parse(string label) => label.Trim().ToLowerInvariant() switch
        {
            "429" or "throttled" => FaultKind.Throttled,
            "500" or "servererror" => FaultKind.ServerError,
            "503" or "unavailable" => FaultKind.Unavailable,
            "timeout" or "hang" => FaultKind.Timeout,
            "drop" or "reset" => FaultKind.Drop,
            _ => throw new ArgumentException($"Unknown fault kind '{label}' (429, 500, 503, timeout, drop)."),
        };
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

    /// <summary>Answers a request of a faulted service with an injected fault (in the service's error shape, a hang or a drop) before it is processed.</summary>
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
            FaultKind kind = request.Group.Logging is RequestLogging.None ? FaultKind.None : _faults.Next(request.Group.Name, context.Request.Headers.UserAgent.ToString());
            if (kind == FaultKind.None)
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            request.Faulted = true;
            request.Fault = FaultInjector.Label(kind);
            if (kind is FaultKind.Timeout or FaultKind.Drop)
            {
                // Logged with a gateway's status; the client sees no answer at all.
                context.Response.StatusCode = kind == FaultKind.Timeout ? 504 : 502;
                if (kind == FaultKind.Timeout)
                {
                    try
                    {
                        await Task.Delay(_faults.Hang, context.RequestAborted).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                    }
                }

                context.Abort();
                return;
            }

            int status = FaultInjector.Status(kind);
            if (status == 429)
            {
                context.Response.Headers.RetryAfter = _options.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            }

            (string code, string message) = Describe(status);
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
