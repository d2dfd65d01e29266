using System.Collections.Generic;

namespace KedaAks.Engine.Tests
{
    /// <summary>An <see cref="IKedaAksHost"/> that keeps what the engine says, and answers ShouldProcess as told.</summary>
    internal sealed class RecordingHost : IKedaAksHost
    {
        public RecordingHost(bool shouldProcess = true) => Answer = shouldProcess;

        public bool Answer { get; }

        public List<string> Verbose { get; } = new();

        public List<string> Warnings { get; } = new();

        public List<string> Debug { get; } = new();

        public List<(string Activity, string Status, int Percent, bool Completed)> Progress { get; } = new();

        public List<(string Target, string Action)> Questions { get; } = new();

        public void WriteVerbose(string message) => Verbose.Add(message);

        public void WriteWarning(string message) => Warnings.Add(message);

        public void WriteDebug(string message) => Debug.Add(message);

        public void WriteProgress(string activity, string status, int percentComplete = -1, bool completed = false) =>
            Progress.Add((activity, status, percentComplete, completed));

        public bool ShouldProcess(string target, string action)
        {
            Questions.Add((target, action));
            return Answer;
        }
    }
}
