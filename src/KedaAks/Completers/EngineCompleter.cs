using System.Collections.Concurrent;
using System.Management.Automation.Language;

namespace KedaAks.Completers
{
    /// <summary>
    /// Base of the completers that ask the engine (a cluster, ARM, a kubeconfig): what the runspace knows is read on the
    /// calling thread, the engine's answer is awaited at most <see cref="Budget"/> and kept for <see cref="CacheLifetime"/>
    /// per query, the typed word is a wildcard prefix, results are quoted when they must be, and any failure (no engine, no
    /// cluster, no sign-in, too slow) completes nothing: a completer never prompts and never throws.
    /// </summary>
    public abstract class EngineCompleter : IArgumentCompleter
    {
        internal static readonly TimeSpan Budget = TimeSpan.FromSeconds(2);
        internal static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(5);

        private static readonly ConcurrentDictionary<string, (DateTimeOffset Until, IReadOnlyList<string> Values)> s_cache = new(StringComparer.Ordinal);

        /// <summary>Whether the values are shown in the engine's order (e.g. newest first) rather than sorted by name.</summary>
        private protected virtual bool KeepOrder => false;

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            try
            {
                CompletionQuery? query = Query(commandName ?? string.Empty, new BoundArguments(fakeBoundParameters));
                if (query is null)
                {
                    return Array.Empty<CompletionResult>();
                }

                IReadOnlyList<string> values = Values(GetType().Name + "|" + query.Key, query);
                return Completions.Match(KeepOrder ? values : values.OrderBy(v => v, StringComparer.OrdinalIgnoreCase), wordToComplete);
            }
            catch (Exception)
            {
                return Array.Empty<CompletionResult>();
            }
        }

        /// <summary>What to ask the engine, or null when there is nothing to ask (e.g. not signed in). Runs on the completing thread.</summary>
        private protected abstract CompletionQuery? Query(string commandName, BoundArguments bound);

        private static IReadOnlyList<string> Values(string key, CompletionQuery query)
        {
            if (s_cache.TryGetValue(key, out var cached) && cached.Until > DateTimeOffset.UtcNow)
            {
                return cached.Values;
            }

            using var timeout = new CancellationTokenSource(Budget);
            var call = new CallContext(SilentHost.Instance, query.Azure, timeout.Token);
            Task<IReadOnlyList<string>> work = Task.Run(() => query.Fetch(EngineLoader.Engine, call));
            IReadOnlyList<string> values = work.Wait(Budget) && work.Status == TaskStatus.RanToCompletion ? work.Result : Array.Empty<string>();
            _ = work.ContinueWith(t => _ = t.Exception, TaskScheduler.Default);   // a late failure is observed, never thrown
            s_cache[key] = (DateTimeOffset.UtcNow + CacheLifetime, values);
            return values;
        }
    }

    /// <summary>One question to the engine: its cache key (what it depends on), the Azure settings of the call, and the read.</summary>
    internal sealed record CompletionQuery(string Key, AzureSettings Azure, Func<IKedaAksEngine, CallContext, Task<IReadOnlyList<string>>> Fetch);

    /// <summary>The host of a completion call: it says nothing, refuses every change, and has no Az context to ask (that would need the pipeline thread).</summary>
    internal sealed class SilentHost : IKedaAksHost
    {
        public static readonly SilentHost Instance = new();

        public void WriteVerbose(string message)
        {
        }

        public void WriteWarning(string message)
        {
        }

        public void WriteDebug(string message)
        {
        }

        public void WriteProgress(string activity, string status, int percentComplete = -1, bool completed = false)
        {
        }

        public bool ShouldProcess(string target, string action) => false;

        public AzContextInfo? GetAzContext() => null;

        public HostAccessToken? GetAzAccessToken(string resourceUrl, string? tenantId) => null;
    }
}
