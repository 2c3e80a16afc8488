using GraphQL;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Security;
using Pdsno.Storage.ReadModel;

namespace Pdsno.GraphQL.Loading;

/// <summary>
/// The batch loaders of one request, kept in the request's <see cref="PdsnoUserContext"/> so that every resolver of
/// the request shares them and no request sees another's cache.
/// </summary>
public sealed class RequestLoaders
{
    private const string ContextKey = "pdsno.loaders";
    private volatile bool _neighborDevicesWanted;

    // The loaders belong to one caller: its tenant scopes every statement, and a token limited to regions gets
    // nothing back for keys outside them, exactly as for keys that do not exist.
    private RequestLoaders(TopologyReader reader, Func<IGrainFactory> grains, Caller caller)
    {
        var tenant = caller.Tenant;
        var group = new BatchGroup();
        Regions = new(async (keys, ct) => Nullable(await reader.GetRegionsAsync(tenant, keys.Where(caller.CanSeeRegion).ToList(), ct)), null, group);
        RegionDeviceCounts = new(async (keys, ct) => await reader.CountDevicesByRegionAsync(tenant, keys, ct), 0, group);
        Devices = new(async (keys, ct) => Nullable(Visible(await reader.GetDevicesAsync(tenant, keys, ct), caller)), null, group);
        DeviceRefs = new(async (refs, ct) => (await DeviceLookup.ResolveAsync(reader, caller, [.. refs], ct)).ToDictionary(m => m.Reference, m => (DeviceMatch?)m), null, group);
        IReadOnlyCollection<string>? scope = caller.IsRegionScoped ? caller.Regions : null;
        Interfaces = new(async (keys, ct) => await reader.GetInterfacesAsync(tenant, keys, scope, ct), [], group);
        Configs = new(async (keys, ct) => Nullable(await reader.GetDeviceConfigsAsync(tenant, keys, scope, ct)), null, group);
        InterfacesByKey = new(async (keys, ct) => Nullable(await VisibleAsync(reader, tenant, caller, await reader.GetInterfacesByKeyAsync(tenant, keys, ct), i => [i.Device], ct)), null, group);
        Links = new(async (keys, ct) => Nullable(await VisibleAsync(reader, tenant, caller, await reader.GetLinksAsync(tenant, keys, ct), l => [l.DeviceA, l.DeviceB], ct, l => l.Region)), null, group);
        Changes = new(async (keys, ct) => VisibleChanges(await reader.GetChangesAsync(tenant, keys, ct), caller), null, group);
        Intents = new(async (keys, ct) => (await reader.GetIntentsAsync(tenant, keys, ct)).Where(p => p.Value.Intent.Regions.All(caller.CanSeeRegion))
            .ToDictionary(p => p.Key, p => (Abstractions.Intents.IntentView?)p.Value.Intent, StringComparer.Ordinal), null, group);
        Reservations = new(async (keys, ct) => (await grains().GetGrain<IIntentNetworkGrain>(tenant).ReservationsAsync([.. keys]))
            .ToDictionary(r => r.Link, r => (Abstractions.Intents.LinkReservation?)r, StringComparer.Ordinal), null, group);
        Neighbors = new(
            async (keys, ct) =>
            {
                var neighbors = await reader.GetNeighborsAsync(tenant, keys, scope, ct);
                if (_neighborDevicesWanted)
                {
                    // The far devices are read while the neighbours (and the rest of this step) are being completed.
                    Devices.Preload(neighbors.Values.SelectMany(list => list).Select(n => n.RemoteDeviceKey), ct);
                }

                return neighbors;
            },
            [],
            group);
    }

    private static IReadOnlyDictionary<string, DeviceRecord> Visible(IReadOnlyDictionary<string, DeviceRecord> devices, Caller caller) =>
        !caller.IsRegionScoped ? devices : devices.Where(p => caller.CanSeeRegion(p.Value.Region)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    // A change shows only to callers who see every region it touches.
    private static Dictionary<string, Abstractions.Changes.ChangeView?> VisibleChanges(IReadOnlyDictionary<string, ChangeRecord> changes, Caller caller) =>
        changes.Where(p => p.Value.Change.Regions.All(caller.CanSeeRegion)).ToDictionary(p => p.Key, p => (Abstractions.Changes.ChangeView?)p.Value.Change, StringComparer.Ordinal);

    // A row is visible when its own region is (if it has one) or the region of any device it touches is.
    private static async Task<IReadOnlyDictionary<string, T>> VisibleAsync<T>(
        TopologyReader reader,
        string tenant,
        Caller caller,
        IReadOnlyDictionary<string, T> rows,
        Func<T, string[]> devicesOf,
        CancellationToken cancellationToken,
        Func<T, string>? regionOf = null)
    {
        if (!caller.IsRegionScoped || rows.Count == 0)
        {
            return rows;
        }

        var undecided = rows.Where(p => regionOf is null || !caller.CanSeeRegion(regionOf(p.Value))).ToList();
        if (undecided.Count == 0)
        {
            return rows;
        }

        var devices = await reader.GetDevicesAsync(tenant, undecided.SelectMany(p => devicesOf(p.Value)).Distinct(StringComparer.Ordinal).ToList(), cancellationToken);
        var hidden = undecided
            .Where(p => !devicesOf(p.Value).Any(d => devices.TryGetValue(d, out var device) && caller.CanSeeRegion(device.Region)))
            .Select(p => p.Key)
            .ToHashSet(StringComparer.Ordinal);
        return rows.Where(p => !hidden.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
    }

    // Only the annotation differs (a missing key is the loader's null), so the rows are handed on as they are.
    private static IReadOnlyDictionary<string, T?> Nullable<T>(IReadOnlyDictionary<string, T> rows)
        where T : class => rows!;

    /// <summary>Regions by key.</summary>
    public BatchLoader<string, RegionRecord?> Regions { get; }

    /// <summary>Device counts by region key.</summary>
    public BatchLoader<string, int> RegionDeviceCounts { get; }

    /// <summary>Devices by key.</summary>
    public BatchLoader<string, DeviceRecord?> Devices { get; }

    /// <summary>Devices by what a caller named them with (id, key or name), among the devices the caller may see.</summary>
    public BatchLoader<DeviceRef, DeviceMatch?> DeviceRefs { get; }

    /// <summary>Interfaces of a device, by device key.</summary>
    public BatchLoader<string, IReadOnlyList<InterfaceRecord>> Interfaces { get; }

    /// <summary>Device configs by device key (none for devices outside the caller's regions).</summary>
    public BatchLoader<string, DeviceConfigRecord?> Configs { get; }

    /// <summary>Interfaces by <c>device/name</c> key.</summary>
    public BatchLoader<string, InterfaceRecord?> InterfacesByKey { get; }

    /// <summary>Links by key.</summary>
    public BatchLoader<string, LinkRecord?> Links { get; }

    /// <summary>Changes by key.</summary>
    public BatchLoader<string, Abstractions.Changes.ChangeView?> Changes { get; }

    /// <summary>Intents by key, those whose endpoints' regions the caller sees.</summary>
    public BatchLoader<string, Abstractions.Intents.IntentView?> Intents { get; }

    /// <summary>What intents reserve on links, by link key, from the tenant's intent network.</summary>
    public BatchLoader<string, Abstractions.Intents.LinkReservation?> Reservations { get; }

    /// <summary>Neighbours of a device, by device key.</summary>
    public BatchLoader<string, IReadOnlyList<NeighborRecord>> Neighbors { get; }

    /// <summary>
    /// Says the request selects the devices beyond its neighbours, so <see cref="Neighbors"/> has <see cref="Devices"/>
    /// start reading them as soon as the links are in. Called by resolvers before their step's batches are fetched.
    /// </summary>
    public void WantNeighborDevices() => _neighborDevicesWanted = true;

    /// <summary>The loaders of the request <paramref name="context"/> belongs to, created on first use.</summary>
    public static RequestLoaders For(IResolveFieldContext context) =>
        context.RequestScoped(ContextKey, (services, caller) => new RequestLoaders(
            services.GetRequiredService<TopologyReader>(),
            // Only the intents' reservations ask the cluster; a request that reads none needs no grain factory.
            () => services.GetRequiredService<IGrainFactory>(),
            caller));
}
