namespace Pdsno.Grains.History;

/// <summary>
/// One interface's rates over one UTC minute: the average and the highest of the rates measured in it (bits per
/// second) and the speed they were measured against.
/// </summary>
public sealed record HistoryMinute(string Device, string Interface, DateTimeOffset At, double InBps, double OutBps, double InMaxBps, double OutMaxBps, long SpeedBps);
