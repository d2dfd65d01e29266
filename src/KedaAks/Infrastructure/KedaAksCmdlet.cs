namespace KedaAks.Infrastructure
{
    /// <summary>
    /// Base of every KedaAks cmdlet: the engine, cancellation on Ctrl+C, the bridge that lets engine work
    /// run off the pipeline thread while every Write*/ShouldProcess happens on it, and the one place where
    /// engine errors become ErrorRecords.
    /// </summary>
    public abstract class KedaAksCmdlet : PSCmdlet
    {
        private readonly CancellationTokenSource _cancellation = new();

        private protected IKedaAksEngine Engine => EngineLoader.Engine;

        private protected CancellationToken CancellationToken => _cancellation.Token;

        /// <summary>Set by -Force: ShouldProcess answers yes without the ConfirmImpact prompt (still no under -WhatIf).</summary>
        internal bool SkipConfirmation { get; set; }

        internal bool IsWhatIf =>
            (MyInvocation.BoundParameters.TryGetValue("WhatIf", out object? value) && value is SwitchParameter { IsPresent: true })
            || (SessionState.PSVariable.GetValue("WhatIfPreference") is { } preference && LanguagePrimitives.IsTrue(preference));

        protected sealed override void BeginProcessing() => Guard(BeginProcessingCore);

        protected sealed override void ProcessRecord() => Guard(ProcessRecordCore);

        protected sealed override void EndProcessing() => Guard(EndProcessingCore);

        protected override void StopProcessing() => _cancellation.Cancel();

        private protected virtual void BeginProcessingCore()
        {
        }

        private protected virtual void ProcessRecordCore()
        {
        }

        private protected virtual void EndProcessingCore()
        {
        }

        /// <summary>Runs quick engine work on the pipeline thread.</summary>
        private protected T Invoke<T>(Func<IKedaAksHost, T> work) => work(new PipelineHost(this));

        /// <summary>The Azure settings engine calls carry: the runspace's Connect-KedaAzure defaults, merged with parameters where the cmdlet has them.</summary>
        private protected virtual AzureSettings CallSettings => RunspaceDefaults.Azure?.Clone() ?? new AzureSettings();

        /// <summary>Runs <paramref name="work"/> (the cmdlet's own questions, such as ShouldProcess) on the pipeline thread, from the engine work of <paramref name="call"/>.</summary>
        private protected static T Ask<T>(CallContext call, Func<T> work) => ((PipelineHost)call.Host).Ask(work);

        /// <summary>Runs engine work on the thread pool and pumps its host calls on the pipeline thread until it ends.</summary>
        private protected T InvokeAsync<T>(Func<CallContext, Task<T>> work)
        {
            using var host = new PipelineHost(this);
            var call = new CallContext(host, CallSettings, CancellationToken);
            Task<T> task = Task.Run(() => work(call), CancellationToken);
            task.ContinueWith(_ => host.CompleteAdding(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            try
            {
                host.Pump();
            }
            catch (Exception)
            {
                // A Write*/ShouldProcess failed on the pipeline thread (the user halted a prompt, or the host cannot prompt):
                // stop the engine work and wait for it, so nothing runs on after the command has ended.
                _cancellation.Cancel();
                host.Halt();
                task.ContinueWith(_ => { }, TaskScheduler.Default).Wait();
                _ = task.Exception;  // observed: the host's failure is the one reported
                throw;
            }

            try
            {
                return task.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }

        /// <summary>
        /// Runs the clusters <paramref name="fleet"/> collected, at most <paramref name="throttleLimit"/> at once, each with its own CallContext (this
        /// command's Azure settings and cancellation, a host that names the cluster); see <see cref="ClusterFleet{TWork, TResult}"/>.
        /// </summary>
        private protected void RunFleet<TWork, TResult>(ClusterFleet<TWork, TResult> fleet, int throttleLimit, Func<TWork, CallContext, Task<TResult>> work,
            Action<TWork, TResult> write)
        {
            AzureSettings settings = CallSettings;
            fleet.Run(this, throttleLimit, (host, cancellation) => new CallContext(host, settings.Clone(), cancellation), work, write, CancellationToken);
        }

        /// <summary>Reports one failed input and lets the others go on.</summary>
        private protected void WriteEngineError(KedaAksException exception) => WriteError(ToErrorRecord(exception));

        internal static ErrorRecord ToErrorRecord(KedaAksException exception)
        {
            if (!Enum.TryParse(exception.Category.ToString(), out ErrorCategory category))
            {
                category = ErrorCategory.NotSpecified;
            }

            return new ErrorRecord(exception, exception.ErrorId, category, exception.TargetObject)
            {
                ErrorDetails = new ErrorDetails(Shown(exception)) { RecommendedAction = exception.RecommendedAction ?? string.Empty },
            };
        }

        /// <summary>One cluster's failure in a fleet run: the error with that cluster as its target and its name in front of the message.</summary>
        internal static ErrorRecord ToErrorRecord(KedaAksException exception, object target, string cluster)
        {
            ErrorRecord record = ToErrorRecord(exception);
            return new ErrorRecord(exception, exception.ErrorId, record.CategoryInfo.Category, target)
            {
                ErrorDetails = new ErrorDetails($"Cluster '{cluster}': {record.ErrorDetails.Message}") { RecommendedAction = record.ErrorDetails.RecommendedAction },
            };
        }

        /// <summary>What the error view prints: the message without the fix, which it prints once as the recommendation.</summary>
        internal static string Shown(KedaAksException exception)
        {
            if (exception.Display is { Length: > 0 } display)
            {
                return display;
            }

            string message = exception.Message;
            string? fix = exception.RecommendedAction?.Trim();
            if (string.IsNullOrEmpty(fix))
            {
                return message;
            }

            int at = message.IndexOf(fix, StringComparison.Ordinal);
            return at <= 0 ? message : (message.Substring(0, at).TrimEnd() + message.Substring(at + fix.Length)).TrimEnd();
        }

        private void Guard(Action action)
        {
            try
            {
                action();
            }
            catch (KedaAksException exception)
            {
                ThrowTerminatingError(ToErrorRecord(exception));
            }
            catch (Exception exception) when (exception is not RuntimeException and not OperationCanceledException)
            {
                // The engine's boundary translates everything it throws; this only catches a fault in the cmdlet shell itself.
                ThrowTerminatingError(ToErrorRecord(new KedaAksException("UnexpectedError", KedaErrorCategory.NotSpecified,
                    $"{MyInvocation.MyCommand.Name} failed unexpectedly: {exception.Message}", null,
                    "Run the command again with -Debug; if it fails the same way, report it with the error's Detail property.") { Detail = exception.ToString() }));
            }
        }
    }
}
