namespace Pdsno.GraphQL.Loading;

/// <summary>For work started ahead of whoever awaits it.</summary>
public static class StartedTasks
{
    /// <summary>
    /// Observes a failure of <paramref name="task"/>, which its consumer awaits later: should the request end before
    /// that, the failure does not surface as an unobserved task exception.
    /// </summary>
    public static void ObserveFailure(this Task task)
    {
        ArgumentNullException.ThrowIfNull(task);
        _ = task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }
}
