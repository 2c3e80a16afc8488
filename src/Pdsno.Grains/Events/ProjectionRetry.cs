namespace Pdsno.Grains.Events;

/// <summary>
/// Retries a grain's projection on a timer until it goes through: the state is already stored, so the
/// events and read-model rows only wait for the database. At most one timer per grain.
/// </summary>
internal sealed class ProjectionRetry
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(3);

    private IGrainTimer? _timer;

    /// <summary>True while a retry is scheduled.</summary>
    public bool Pending => _timer is not null;

    /// <summary>Schedules <paramref name="project"/> unless a retry is already scheduled.</summary>
    public void Schedule(IGrainBase grain, Func<Task> project, TimeSpan dueTime)
    {
        _timer ??= grain.RegisterGrainTimer(
            _ => project(),
            new GrainTimerCreationOptions(dueTime, Period) { Interleave = false, KeepAlive = true });
    }

    /// <summary>Stops retrying: the projection went through, or there is nothing left to project.</summary>
    public void Stop()
    {
        _timer?.Dispose();
        _timer = null;
    }
}
