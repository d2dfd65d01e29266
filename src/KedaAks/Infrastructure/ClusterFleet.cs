using System.Collections.Concurrent;

namespace KedaAks.Infrastructure
{
    /// <summary>
    /// Many clusters from the pipeline in parallel inside one cmdlet (-ThrottleLimit): each cluster's work runs as its own engine task (its own
    /// cluster connection; the engine's one credential cache serves them all), at most ThrottleLimit at once, while the pipeline thread pumps their
    /// host calls. Each cluster's results are written together when it finishes (so a view grouped by cluster reads cleanly); a cluster whose work
    /// throws is a non-terminating ErrorRecord with that cluster as TargetObject, and the others go on. Ctrl+C stops them all.
    /// <para>
    /// How a cmdlet adopts it (Test-KedaIntegration does; Install-KedaAksIntegration is next):
    /// 1. declare <c>[Parameter][ValidateRange(1, ClusterFleet.MaxThrottleLimit)] public int ThrottleLimit { get; set; } = 1;</c> and a
    ///    <c>ClusterFleet&lt;TWork, TResult&gt;</c> field;
    /// 2. in ProcessRecordCore capture into a TWork everything that belongs to the pipeline thread (the target with resolved paths, typed
    ///    parameters, RunspaceDefaults), then with ThrottleLimit 1 run it at once as before, <c>Write(work, InvokeAsync(call =&gt; WorkAsync(work, call)))</c>,
    ///    else <c>fleet.Add(work, name, target)</c>;
    /// 3. in EndProcessingCore call <c>RunFleet(fleet, ThrottleLimit, WorkAsync, Write)</c> (KedaAksCmdlet).
    /// WorkAsync may use only the engine and the CallContext it is given (its host names the cluster); Write runs on the pipeline thread.
    /// </para>
    /// </summary>
    internal sealed class ClusterFleet<TWork, TResult>
    {
        private readonly List<(TWork Work, string Name, object Target)> _queued = new();
        private readonly string _activity;

        public ClusterFleet(string activity) => _activity = activity;

        public int Count => _queued.Count;

        /// <summary>Queues one cluster's work; <paramref name="name"/> labels its messages and errors, <paramref name="target"/> is its ErrorRecords' TargetObject.</summary>
        public void Add(TWork work, string name, object target) => _queued.Add((work, name, target));

        /// <summary>Runs everything queued, at most <paramref name="throttleLimit"/> at once; returns when all have finished.</summary>
        public void Run(PSCmdlet cmdlet, int throttleLimit, Func<IKedaAksHost, CancellationToken, CallContext> newCall,
            Func<TWork, CallContext, Task<TResult>> work, Action<TWork, TResult> write, CancellationToken cancellation)
        {
            if (_queued.Count == 0)
            {
                return;
            }

            var host = new PipelineHost(cmdlet);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            using var gate = new SemaphoreSlim(Math.Max(1, throttleLimit));
            var slots = new ConcurrentQueue<int>(Enumerable.Range(1, Math.Max(1, throttleLimit)));
            int total = _queued.Count;
            int finished = 0;
            int running = 0;
            void Progress() => host.WriteProgress(0, -1, _activity, $"{finished} of {total} cluster(s) done, {running} running", finished * 100 / total, false);

            Task[] tasks = _queued.Select(item => Task.Run(async () =>
            {
                await gate.WaitAsync(stop.Token).ConfigureAwait(false);
                slots.TryDequeue(out int slot);
                Interlocked.Increment(ref running);
                host.Post(Progress);
                try
                {
                    TResult result = await work(item.Work, newCall(new ClusterHost(host, item.Name, slot, 0), stop.Token)).ConfigureAwait(false);
                    host.Post(() => write(item.Work, result));
                }
                catch (KedaAksException exception)
                {
                    host.Post(() => cmdlet.WriteError(KedaAksCmdlet.ToErrorRecord(exception, item.Target, item.Name)));
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    var unexpected = new KedaAksException("UnexpectedError", KedaErrorCategory.NotSpecified, $"{cmdlet.MyInvocation.MyCommand.Name} failed unexpectedly: {exception.Message}",
                        item.Target, "Run the command again with -Debug; if it fails the same way, report it with the error's Detail property.") { Detail = exception.ToString() };
                    host.Post(() => cmdlet.WriteError(KedaAksCmdlet.ToErrorRecord(unexpected, item.Target, item.Name)));
                }
                finally
                {
                    Interlocked.Decrement(ref running);
                    Interlocked.Increment(ref finished);
                    host.Post(() => host.WriteProgress(slot, 0, _activity, item.Name, -1, true));
                    host.Post(Progress);
                    slots.Enqueue(slot);
                    gate.Release();
                }
            }, stop.Token)).ToArray();

            Task all = Task.WhenAll(tasks);
            all.ContinueWith(_ => host.CompleteAdding(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            bool pumped = false;
            try
            {
                host.Pump();
                pumped = true;
                all.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
            finally
            {
                if (!pumped)
                {
                    // A write failed (the pipeline was stopped downstream): stop the others, and let them finish before the queue goes.
                    stop.Cancel();
                    host.CompleteAdding();
                    Task.WaitAny(new[] { all }, TimeSpan.FromSeconds(10));
                }

                host.WriteProgress(0, -1, _activity, string.Empty, -1, true);
                if (all.IsCompleted)
                {
                    host.Dispose();
                }
            }
        }
    }

    /// <summary>The ThrottleLimit bounds of every fleet cmdlet.</summary>
    internal static class ClusterFleet
    {
        public const int MaxThrottleLimit = 64;
    }
}
