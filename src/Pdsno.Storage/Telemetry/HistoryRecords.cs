namespace Pdsno.Storage.Telemetry;

/// <summary>An interface whose history may be written: where it is, what it can carry and the far end of its link (<c>device:interface</c>), if any.</summary>
public sealed record HistoryInterface(string Device, string Interface, string Region, long SpeedBps, string? Peer);

/// <summary>
/// One point of an interface's history: from <see cref="At"/> for the point's step, the average and highest rates
/// sampled in it (bits per second) and the interface speed they were measured against.
/// </summary>
public sealed record HistoryPoint(DateTimeOffset At, double InBps, double OutBps, double InMaxBps, double OutMaxBps, long SpeedBps);

/// <summary>One sample of an interface to write: the average rates over its step.</summary>
public readonly record struct HistorySample(double InBps, double OutBps);
