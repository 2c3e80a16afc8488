using System.Collections.Concurrent;
using System.Collections.Frozen;
using Orleans;
using Pdsno.Abstractions.Grains;
using Pdsno.Discovery.Simulation;

namespace Pdsno.GraphQL.Types;

/// <summary>Where a device stands on the globe, as the Topology Zoo file it was imported from says.</summary>
public sealed record GeoPosition(double Latitude, double Longitude);

/// <summary>
/// The coordinates the tenant's simulated network carries (Topology Zoo latitude/longitude, and the generated
/// network's), by chassis id. Discovery does not learn them from a device, so they come from the network's
/// definition, read again only when its version moves and at most every few seconds per tenant.
/// </summary>
public sealed class SimulatedPositions(IGrainFactory grains, TimeProvider time)
{
    private static readonly TimeSpan Fresh = TimeSpan.FromSeconds(5);

    // A device not found may have just been imported: look again, though not more than once a second.
    private static readonly TimeSpan FreshForMisses = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>The device's position, or null when the simulated network has none for that chassis id.</summary>
    public async Task<GeoPosition?> FindAsync(string tenant, string chassisId)
    {
        var positions = await PositionsAsync(tenant, Fresh);
        if (!positions.Map.TryGetValue(chassisId, out var position))
        {
            positions = await PositionsAsync(tenant, FreshForMisses);
            position = positions.Map.GetValueOrDefault(chassisId);
        }

        return position;
    }

    private Task<Positions> PositionsAsync(string tenant, TimeSpan fresh)
    {
        var now = time.GetUtcNow();
        if (_entries.TryGetValue(tenant, out var entry) && now - entry.CheckedAt < fresh && !entry.Task.IsFaulted)
        {
            return entry.Task;
        }

        var previous = entry?.Task is { IsCompletedSuccessfully: true } done ? done.Result : Positions.None;
        var refreshed = RefreshAsync(tenant, previous);
        _entries[tenant] = new Entry(refreshed, now);
        return refreshed;
    }

    private async Task<Positions> RefreshAsync(string tenant, Positions previous)
    {
        var view = await grains.GetGrain<ISimulatedNetworkGrain>(tenant).GetViewAsync(previous.Version);
        if (view.Definition is null)
        {
            return previous;
        }

        var model = SimulatedNetworkModel.Build(view.Definition);
        var map = new Dictionary<string, GeoPosition>(StringComparer.Ordinal);
        foreach (var device in model.Devices)
        {
            if (device is { Latitude: { } latitude, Longitude: { } longitude })
            {
                map[device.ChassisId] = new GeoPosition(latitude, longitude);
            }
        }

        return new Positions(view.DefinitionVersion, map.ToFrozenDictionary(StringComparer.Ordinal));
    }

    private sealed record Positions(long Version, FrozenDictionary<string, GeoPosition> Map)
    {
        public static readonly Positions None = new(-1, FrozenDictionary<string, GeoPosition>.Empty);
    }

    private sealed record Entry(Task<Positions> Task, DateTimeOffset CheckedAt);
}
