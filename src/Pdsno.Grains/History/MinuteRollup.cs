namespace Pdsno.Grains.History;

/// <summary>
/// Folds one device's measured rates into UTC minutes per interface: each minute's average and maximum, handed out
/// once a rate of a later minute arrives. Rates the counter rules refused (wraps past belief, resets, restarts) are
/// never measured, and a rate above the interface's speed is a glitch, not traffic: neither counts.
/// </summary>
public sealed class MinuteRollup(string device)
{
    private static readonly long MinuteTicks = TimeSpan.FromMinutes(1).Ticks;
    private readonly Dictionary<string, Minute> _open = new(StringComparer.Ordinal);

    /// <summary>How far above its speed a rate may be before it is a glitch: counters are read a little apart in time.</summary>
    public const double GlitchFactor = 1.05;

    /// <summary>
    /// Adds the rates measured at <paramref name="at"/> for <paramref name="interfaceName"/> (null where none could be
    /// derived); returns the minute it closed, if this rate starts a later one.
    /// </summary>
    public HistoryMinute? Add(string interfaceName, DateTimeOffset at, double? inBps, double? outBps, long speedBps)
    {
        ArgumentNullException.ThrowIfNull(interfaceName);
        var start = at.UtcTicks - (at.UtcTicks % MinuteTicks);
        HistoryMinute? closed = null;
        if (_open.TryGetValue(interfaceName, out var open) && open.Start != start)
        {
            if (open.Start > start)
            {
                // A reading older than the open minute (a late delivery) belongs to a minute already handed out.
                return null;
            }

            closed = open.Close(device, interfaceName);
            _open.Remove(interfaceName);
        }

        if (!Plausible(inBps, speedBps) || !Plausible(outBps, speedBps))
        {
            return closed;
        }

        if (!_open.TryGetValue(interfaceName, out open))
        {
            _open[interfaceName] = open = new Minute(start);
        }

        open.Add(inBps!.Value, outBps!.Value, speedBps);
        return closed;
    }

    /// <summary>Forgets interfaces the device no longer has.</summary>
    public void Retain(IEnumerable<string> interfaceNames)
    {
        var keep = interfaceNames.ToHashSet(StringComparer.Ordinal);
        foreach (var name in _open.Keys.Where(k => !keep.Contains(k)).ToList())
        {
            _open.Remove(name);
        }
    }

    private static bool Plausible(double? bps, long speedBps) =>
        bps is { } r && !double.IsNaN(r) && r >= 0 && (speedBps <= 0 || r <= speedBps * GlitchFactor);

    private sealed class Minute(long start)
    {
        private double _inSum;
        private double _outSum;
        private double _inMax;
        private double _outMax;
        private int _count;
        private long _speed;

        public long Start { get; } = start;

        public void Add(double inBps, double outBps, long speedBps)
        {
            (_inSum, _outSum) = (_inSum + inBps, _outSum + outBps);
            (_inMax, _outMax) = (Math.Max(_inMax, inBps), Math.Max(_outMax, outBps));
            _speed = speedBps;
            _count++;
        }

        public HistoryMinute Close(string device, string name) =>
            new(device, name, new DateTimeOffset(Start, TimeSpan.Zero), _inSum / _count, _outSum / _count, _inMax, _outMax, _speed);
    }
}
