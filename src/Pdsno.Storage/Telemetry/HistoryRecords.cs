namespace Pdsno.Storage.Telemetry;

/// <summary>An interface whose history may be written: where it is, what it can carry and the far end of its link (<c>device:interface</c>), if any.</summary>
public sealed record HistoryInterface(string Device, string Interface, string Region, long SpeedBps, string? Peer);

/// <summary>
/// A series pair whose history is analysed: a link (its key, the region that owns it, and its A end) or an interface
/// without a link (<see cref="Link"/> empty, the interface as the A end).
/// </summary>
public sealed record HistoryLink(string Link, string Region, string DeviceA, string InterfaceA)
{
    /// <summary>Whether this is a link rather than a lone interface.</summary>
    public bool IsLink => Link.Length > 0;

    /// <summary>The link's key, or <c>device:interface</c> for a lone interface.</summary>
    public string Key => IsLink ? Link : DeviceA + ":" + InterfaceA;
}

/// <summary>
/// One point of an interface's history: from <see cref="At"/> for the point's step, the average and highest rates
/// sampled in it (bits per second), the interface speed they were measured against, and how long the coarsest row in
/// it lasted (<see cref="CoverSeconds"/>: an hour where only the hourly rollup is left, so a finer bucket stands for it all).
/// </summary>
public sealed record HistoryPoint(DateTimeOffset At, double InBps, double OutBps, double InMaxBps, double OutMaxBps, long SpeedBps, int CoverSeconds);

/// <summary>One sample of an interface to write: the average rates over its step.</summary>
public readonly record struct HistorySample(double InBps, double OutBps);

/// <summary>The two tables of interface history.</summary>
public enum HistoryTable
{
    /// <summary>The 1-minute rows (and backfilled rows of any step): <c>interface_samples</c>.</summary>
    Minutes,

    /// <summary>The 1-hour rollup: <c>interface_samples_hourly</c>.</summary>
    Hours,
}
