using System.Collections.Immutable;
using Pdsno.Abstractions.Devices;
using Pdsno.Abstractions.Discovery;

namespace Pdsno.Grains.Devices;

/// <summary>
/// A bounded in-memory window of counter readings per interface. Samples are structs in fixed rings so a
/// silo can hold a hundred thousand devices' windows without pressure on the collector.
/// </summary>
public sealed class TelemetryWindow(int capacity)
{
    private readonly Dictionary<string, Ring> _rings = new(StringComparer.Ordinal);

    /// <summary>The number of samples kept per interface.</summary>
    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "a telemetry window holds at least one sample");

    /// <summary>Adds one reading of every interface in the observation.</summary>
    public void Add(DeviceObservation observation) => Add(TelemetryReading.Of(observation));

    /// <summary>Adds one reading of every interface in <paramref name="reading"/>.</summary>
    public void Add(TelemetryReading reading)
    {
        ArgumentNullException.ThrowIfNull(reading);
        if (reading.Interfaces.IsDefault)
        {
            return;
        }

        var ticks = reading.At.UtcTicks;
        foreach (var i in reading.Interfaces)
        {
            if (!_rings.TryGetValue(i.Name, out var ring))
            {
                _rings[i.Name] = ring = new Ring(Capacity);
            }

            ring.Add(new Sample(ticks, reading.SysUpTimeHundredths, i.SpeedBps, i.Counters64, i.InOctets, i.OutOctets, i.InErrors, i.OutErrors));
        }
    }

    /// <summary>Each interface's utilization (the higher of in and out, % of speed) at its newest reading; null when unknown.</summary>
    public IReadOnlyDictionary<string, double?> LatestUtilization()
    {
        var result = new Dictionary<string, double?>(_rings.Count, StringComparer.Ordinal);
        foreach (var (name, ring) in _rings)
        {
            var (previous, last) = ring.LastTwo();
            if (last is not { } s)
            {
                continue;
            }

            var (_, _, inUse, outUse) = Derive(previous, s);
            result[name] = inUse is null && outUse is null ? null : Math.Max(inUse ?? 0, outUse ?? 0);
        }

        return result;
    }

    /// <summary>
    /// Each interface's rates between its two newest readings, at the newest: null where the counter rules give no
    /// honest rate (a reset, a restart, a wrap that cannot be told apart from one).
    /// </summary>
    public IEnumerable<(string Interface, DateTimeOffset At, double? InBps, double? OutBps, long SpeedBps)> LatestRates()
    {
        foreach (var (name, ring) in _rings)
        {
            var (previous, last) = ring.LastTwo();
            if (last is { } s)
            {
                var (inRate, outRate, _, _) = Derive(previous, s);
                yield return (name, new DateTimeOffset(s.Ticks, TimeSpan.Zero), inRate, outRate, s.SpeedBps);
            }
        }
    }

    /// <summary>Drops interfaces the device no longer has.</summary>
    public void Retain(IEnumerable<string> interfaceNames)
    {
        var keep = interfaceNames.ToHashSet(StringComparer.Ordinal);
        foreach (var name in _rings.Keys.Where(k => !keep.Contains(k)).ToList())
        {
            _rings.Remove(name);
        }
    }

    /// <summary>All samples, oldest first per interface, with rates against the previous sample.</summary>
    public ImmutableArray<TelemetrySample> Snapshot()
    {
        var result = ImmutableArray.CreateBuilder<TelemetrySample>();
        foreach (var (name, ring) in _rings.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            Sample? previous = null;
            foreach (var s in ring.Items())
            {
                var (inRate, outRate, inUse, outUse) = Derive(previous, s);
                result.Add(new TelemetrySample(
                    name, new DateTimeOffset(s.Ticks, TimeSpan.Zero), s.InOctets, s.OutOctets, inRate ?? 0, outRate ?? 0, s.InErrors, s.OutErrors,
                    inUse, outUse));
                previous = s;
            }
        }

        return result.ToImmutable();
    }

    /// <summary>Bits per second between two 64-bit octet counters; a counter that went backwards was reset, so no rate.</summary>
    public static double Rate(ulong before, ulong after, double seconds) =>
        CounterRate.BitsPerSecond(before, after, seconds, counters64: true) ?? 0;

    private static (double? In, double? Out, double? InUse, double? OutUse) Derive(Sample? previous, Sample s)
    {
        if (previous is not { } p || s.Ticks <= p.Ticks)
        {
            return (null, null, null, null);
        }

        var seconds = (s.Ticks - p.Ticks) / (double)TimeSpan.TicksPerSecond;
        // Counters of different widths (the agent stopped or started answering ifXTable) are not comparable.
        var comparable = p.Counters64 == s.Counters64;
        var inRate = comparable ? CounterRate.BitsPerSecond(p.InOctets, s.InOctets, seconds, s.Counters64, p.UpTime, s.UpTime, s.SpeedBps) : null;
        var outRate = comparable ? CounterRate.BitsPerSecond(p.OutOctets, s.OutOctets, seconds, s.Counters64, p.UpTime, s.UpTime, s.SpeedBps) : null;
        return (inRate, outRate, CounterRate.Utilization(inRate, s.SpeedBps), CounterRate.Utilization(outRate, s.SpeedBps));
    }

    private readonly record struct Sample(
        long Ticks, long? UpTime, long SpeedBps, bool Counters64, ulong InOctets, ulong OutOctets, ulong InErrors, ulong OutErrors);

    private sealed class Ring(int capacity)
    {
        private readonly Sample[] _items = new Sample[capacity];
        private int _next;
        private int _count;

        public void Add(Sample sample)
        {
            _items[_next] = sample;
            _next = (_next + 1) % _items.Length;
            _count = Math.Min(_count + 1, _items.Length);
        }

        public (Sample? Previous, Sample? Last) LastTwo() => _count switch
        {
            0 => (null, null),
            1 => (null, _items[(_next - 1 + _items.Length) % _items.Length]),
            _ => (_items[(_next - 2 + _items.Length) % _items.Length], _items[(_next - 1 + _items.Length) % _items.Length]),
        };

        public IEnumerable<Sample> Items()
        {
            var start = (_next - _count + _items.Length) % _items.Length;
            for (var i = 0; i < _count; i++)
            {
                yield return _items[(start + i) % _items.Length];
            }
        }
    }
}
