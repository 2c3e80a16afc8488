namespace Pdsno.Grains.Projection;

/// <summary>
/// Marks the state writes of one flow as writes whose durability a later synchronous commit provides: a device's lock
/// before the change that took it stores its redemption, a simulated device's running config before the device records
/// what it read back. Such a write commits without waiting for the write-ahead log to reach the disk. The log is written
/// in order, so the next synchronous commit makes it durable too, and a crash of the database loses at most a suffix of
/// such writes together with everything after them; a silo that dies loses nothing. A write that stores events never
/// defers: events are announced at once and must not be taken back.
/// </summary>
public static class DeferredDurability
{
    private static readonly AsyncLocal<bool> Deferred = new();

    /// <summary>True while the flow's writes may defer their durability.</summary>
    public static bool IsDeferred => Deferred.Value;

    /// <summary>Lets the state writes that follow in this flow defer their durability; dispose after them.</summary>
    public static Scope Begin()
    {
        Deferred.Value = true;
        return default;
    }

    /// <summary>The writes of the flow wait for the disk again when disposed.</summary>
    public readonly struct Scope : IDisposable
    {
        /// <inheritdoc />
        public void Dispose() => Deferred.Value = false;
    }
}
