namespace Pdsno.Webhooks.Delivery;

/// <summary>
/// What wakes the delivery loops of a tenant when an event is stored. The wake-up is only a signal: loops read the
/// durable event log from their own cursor, and poll it once a second when no signal comes.
/// </summary>
public interface ITenantWakeups
{
    /// <summary>The wake-up of a tenant.</summary>
    Task<IWakeup> ForTenantAsync(string tenant);
}

/// <summary>A pulse with a version, so a pulse between a read and the wait after it is never missed.</summary>
public interface IWakeup
{
    /// <summary>Increases with every pulse.</summary>
    long Version { get; }

    /// <summary>Waits for a pulse after <paramref name="seenVersion"/>, at most <paramref name="max"/>.</summary>
    Task WaitAsync(long seenVersion, TimeSpan max, CancellationToken cancellationToken);
}

/// <summary>No signal at all: loops poll the event log. For hosts without the topology stream.</summary>
public sealed class PollingWakeups : ITenantWakeups, IWakeup
{
    /// <inheritdoc />
    public long Version => 0;

    /// <inheritdoc />
    public Task<IWakeup> ForTenantAsync(string tenant) => Task.FromResult<IWakeup>(this);

    /// <inheritdoc />
    public Task WaitAsync(long seenVersion, TimeSpan max, CancellationToken cancellationToken) =>
        max <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(max, cancellationToken);
}
