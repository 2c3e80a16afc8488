using System.Collections.Concurrent;
using System.Collections.Immutable;
using Pdsno.Abstractions.Discovery;

namespace Pdsno.Bench.Workload;

/// <summary>The prepared observations of each region (key <c>tenant/region</c>) the publisher grains replay.</summary>
public sealed class IngestWorkload
{
    private readonly ConcurrentDictionary<string, ImmutableArray<DeviceObservation>> _regions = new(StringComparer.Ordinal);

    public void Set(string region, ImmutableArray<DeviceObservation> observations) => _regions[region] = observations;

    public ImmutableArray<DeviceObservation> For(string region) => _regions.GetValueOrDefault(region, []);

    public void Clear() => _regions.Clear();
}
