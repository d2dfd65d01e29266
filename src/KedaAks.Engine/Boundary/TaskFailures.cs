namespace KedaAks.Engine.Boundary
{
    /// <summary>Work whose result is no longer wanted (the call failed or stopped first): its failure, if it fails, is observed and dropped.</summary>
    internal static class TaskFailures
    {
        public static void ObserveFailure(this Task task) =>
            _ = task.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
    }
}
