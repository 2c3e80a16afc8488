using System.Collections.Concurrent;
using Pdsno.Grains.Changes;

namespace Pdsno.GrainTests.Infrastructure;

/// <summary>The live topology of each tenant as a test sets it; empty until set.</summary>
public sealed class InMemoryChangeTopology : IChangeTopology
{
    private readonly ConcurrentDictionary<string, ChangeTopology> _tenants = new(StringComparer.Ordinal);

    /// <summary>Sets what <paramref name="tenant"/>'s proposals are judged on.</summary>
    public void Set(string tenant, ChangeTopology topology) => _tenants[tenant] = topology;

    /// <inheritdoc />
    public Task<ChangeTopology> ReadAsync(string tenant, IReadOnlyCollection<string> regions, CancellationToken cancellationToken = default)
    {
        var all = _tenants.GetValueOrDefault(tenant) ?? ChangeTopology.Empty;
        var devices = all.Devices.Where(d => regions.Contains(d.Region)).ToList();
        var keys = devices.Select(d => d.Device).ToHashSet(StringComparer.Ordinal);
        return Task.FromResult(new ChangeTopology(devices, [.. all.Links.Where(l => keys.Contains(l.DeviceA) || keys.Contains(l.DeviceB))]));
    }
}
