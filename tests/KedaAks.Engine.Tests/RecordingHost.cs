using System.Collections.Concurrent;
using System.Collections.Generic;

namespace KedaAks.Engine.Tests
{
    /// <summary>An <see cref="IKedaAksHost"/> that keeps what the engine says, and answers ShouldProcess as told.</summary>
    internal sealed class RecordingHost : IKedaAksHost
    {
        public RecordingHost(bool shouldProcess = true) => Answer = shouldProcess;

        public bool Answer { get; }

        public ConcurrentQueue<string> Verbose { get; } = new();

        public ConcurrentQueue<string> Warnings { get; } = new();

        public ConcurrentQueue<string> Debug { get; } = new();

        public ConcurrentQueue<(string Activity, string Status, int Percent, bool Completed)> Progress { get; } = new();

        public ConcurrentQueue<(string Target, string Action)> Questions { get; } = new();

        public void WriteVerbose(string message) => Verbose.Enqueue(message);

        public void WriteWarning(string message) => Warnings.Enqueue(message);

        public void WriteDebug(string message) => Debug.Enqueue(message);

        public void WriteProgress(string activity, string status, int percentComplete = -1, bool completed = false) =>
            Progress.Enqueue((activity, status, percentComplete, completed));

        public AzContextInfo? AzContext { get; set; }

        public System.Func<string, HostAccessToken?>? AzToken { get; set; }

        public AzContextInfo? GetAzContext() => AzContext;

        public HostAccessToken? GetAzAccessToken(string resourceUrl, string? tenantId) => AzToken?.Invoke(resourceUrl);

        public bool ShouldProcess(string target, string action)
        {
            Questions.Enqueue((target, action));
            return Answer;
        }
    }
}

namespace KedaAks.Engine.Tests
{
    /// <summary>Engine calls from tests: the host, the Azure settings and a token, as the cmdlets pass them.</summary>
    internal static class Calls
    {
        public static CallContext Call(this IKedaAksHost host, AzureSettings? azure = null, System.Threading.CancellationToken cancellation = default) =>
            new(host, azure ?? new AzureSettings(), cancellation);
    }
}
