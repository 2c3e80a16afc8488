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
    public void Add(DeviceObservation observation)
    {
        if (observation.Interfaces.IsDefault)
        {
            return;
        }

        var ticks = observation.ObservedAt.UtcTicks;
        foreach (var i in observation.Interfaces)
        {
            if (!_rings.TryGetValue(i.Name, out var ring))
            {
                _rings[i.Name] = ring = new Ring(Capacity);
            }

            ring.Add(new Sample(ticks, i.InOctets, i.OutOctets, i.InErrors, i.OutErrors));
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
                double inRate = 0, outRate = 0;
                if (previous is { } p && s.Ticks > p.Ticks)
                {
                    var seconds = (s.Ticks - p.Ticks) / (double)TimeSpan.TicksPerSecond;
                    inRate = Rate(p.InOctets, s.InOctets, seconds);
                    outRate = Rate(p.OutOctets, s.OutOctets, seconds);
                }

                result.Add(new TelemetrySample(name, new DateTimeOffset(s.Ticks, TimeSpan.Zero), s.InOctets, s.OutOctets, inRate, outRate, s.InErrors, s.OutErrors));
                previous = s;
            }
        }

        return result.ToImmutable();
    }

    /// <summary>Bits per second between two 64-bit octet counters; a counter that went backwards was reset, so no rate.</summary>
    public static double Rate(ulong before, ulong after, double seconds) =>
        after < before || seconds <= 0 ? 0 : (after - before) * 8.0 / seconds;

    private readonly record struct Sample(long Ticks, ulong InOctets, ulong OutOctets, ulong InErrors, ulong OutErrors);

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
