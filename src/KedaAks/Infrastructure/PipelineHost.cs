using System.Collections.Concurrent;

namespace KedaAks.Infrastructure
{
    /// <summary>
    /// <see cref="IKedaAksHost"/> for a running cmdlet. Calls made on the pipeline thread go straight
    /// to the cmdlet; calls from engine tasks are queued and run by <see cref="Pump"/> on the pipeline
    /// thread (a ShouldProcess question waits for its answer).
    /// </summary>
    internal sealed class PipelineHost : IKedaAksHost, IDisposable
    {
        private readonly PSCmdlet _cmdlet;
        private readonly int _pipelineThreadId = Environment.CurrentManagedThreadId;
        private readonly BlockingCollection<Action> _queue = new();
        private readonly long _progressSourceId;
        private volatile bool _halted;

        public PipelineHost(PSCmdlet cmdlet)
        {
            _cmdlet = cmdlet;
            _progressSourceId = Math.Abs(cmdlet.GetType().FullName!.GetHashCode()) % 100000;
        }

        public void WriteVerbose(string message) => Run(() => _cmdlet.WriteVerbose(message));

        public void WriteWarning(string message) => Run(() => _cmdlet.WriteWarning(message));

        public void WriteDebug(string message) => Run(() => _cmdlet.WriteDebug(message));

        public void WriteProgress(string activity, string status, int percentComplete = -1, bool completed = false) =>
            WriteProgress(0, -1, activity, status, percentComplete, completed);

        /// <summary>A progress record of its own (<paramref name="offset"/> from this command's activity id), under <paramref name="parentOffset"/>'s (-1: none).</summary>
        public void WriteProgress(int offset, int parentOffset, string activity, string status, int percentComplete, bool completed) =>
            Run(() => _cmdlet.WriteProgress(new ProgressRecord((int)_progressSourceId + offset, activity, string.IsNullOrEmpty(status) ? activity : status)
            {
                ParentActivityId = parentOffset < 0 ? -1 : (int)_progressSourceId + parentOffset,
                PercentComplete = percentComplete,
                RecordType = completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
            }));

        /// <summary>Runs <paramref name="action"/> on the pipeline thread (at once when called there); dropped once the pump has stopped.</summary>
        public void Post(Action action)
        {
            if (Environment.CurrentManagedThreadId == _pipelineThreadId)
            {
                action();
                return;
            }

            try
            {
                _queue.Add(action);
            }
            catch (InvalidOperationException) when (_queue.IsAddingCompleted)
            {
                // The command was stopped: nobody reads the queue any more.
            }
        }

        public bool ShouldProcess(string target, string action)
        {
            bool answer = false;
            Run(() => answer = _cmdlet is KedaAksCmdlet { SkipConfirmation: true } forced && !forced.IsWhatIf || _cmdlet.ShouldProcess(target, action), wait: true);
            return answer;
        }

        public AzContextInfo? GetAzContext()
        {
            AzContextInfo? context = null;
            Run(() => context = AzContextBridge.GetContext(_cmdlet), wait: true);
            return context;
        }

        public HostAccessToken? GetAzAccessToken(string resourceUrl, string? tenantId)
        {
            HostAccessToken? token = null;
            Run(() => token = AzContextBridge.GetAccessToken(_cmdlet, resourceUrl, tenantId), wait: true);
            return token;
        }

        /// <summary>
        /// Runs <paramref name="work"/> on the pipeline thread and returns its answer (the cmdlet's own questions, asked from engine work). A failure there
        /// is the command's, as a failed Write* is: it leaves <see cref="Pump"/>, which stops the engine work; the engine thread gets a cancellation.
        /// </summary>
        public T Ask<T>(Func<T> work)
        {
            T answer = default!;
            Run(() => answer = work(), wait: true, failsCommand: true);
            return answer;
        }

        public void Pump()
        {
            foreach (Action action in _queue.GetConsumingEnumerable())
            {
                action();
            }
        }

        /// <summary>
        /// After a host call failed on the pipeline thread (a prompt the user halted, a host that cannot prompt): the rest of
        /// the queue is dropped (questions are answered with a cancellation) until the engine work ends.
        /// </summary>
        public void Halt()
        {
            _halted = true;
            foreach (Action action in _queue.GetConsumingEnumerable())
            {
                action();
            }
        }

        public void CompleteAdding() => _queue.CompleteAdding();

        public void Dispose() => _queue.Dispose();

        /// <summary>
        /// Runs <paramref name="action"/> on the pipeline thread, at once when called there. <paramref name="wait"/>: until it has run, its failure
        /// rethrown here, or, with <paramref name="failsCommand"/>, left to end the command from <see cref="Pump"/>, this thread getting a cancellation.
        /// </summary>
        private void Run(Action action, bool wait = false, bool failsCommand = false)
        {
            if (Environment.CurrentManagedThreadId == _pipelineThreadId)
            {
                action();
                return;
            }

            if (_halted)
            {
                if (wait)
                {
                    throw new OperationCanceledException("The command was halted.");
                }

                return;
            }

            if (!wait)
            {
                Post(() =>
                {
                    if (!_halted)
                    {
                        action();
                    }
                });
                return;
            }

            using var done = new ManualResetEventSlim();
            Exception? failure = null;
            bool ran = false;
            _queue.Add(() =>
            {
                try
                {
                    if (!_halted)
                    {
                        action();
                        ran = true;
                    }
                }
                catch (Exception exception) when (!failsCommand)
                {
                    failure = exception;
                }
                finally
                {
                    done.Set();
                }
            });
            done.Wait();
            if (failure is not null)
            {
                throw failure;
            }

            if (!ran)
            {
                throw new OperationCanceledException("The command was halted.");
            }
        }
    }
}
