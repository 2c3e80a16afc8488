using GraphQL;
using Microsoft.Extensions.DependencyInjection;
using Pdsno.GraphQL.ReadModel;

namespace Pdsno.GraphQL.Loading;

/// <summary>
/// The batch loaders of one request, kept in the request's <see cref="PdsnoUserContext"/> so that every resolver of
/// the request shares them and no request sees another's cache.
/// </summary>
public sealed class RequestLoaders
{
    private const string ContextKey = "pdsno.loaders";

    private RequestLoaders(TopologyReader reader, string tenant)
    {
        Regions = new(async (keys, ct) => Nullable(await reader.GetRegionsAsync(tenant, keys, ct)), null);
        RegionDeviceCounts = new(async (keys, ct) => await reader.CountDevicesByRegionAsync(tenant, keys, ct), 0);
        Devices = new(async (keys, ct) => Nullable(await reader.GetDevicesAsync(tenant, keys, ct)), null);
        Interfaces = new(async (keys, ct) => await reader.GetInterfacesAsync(tenant, keys, ct), []);
        InterfacesByKey = new(async (keys, ct) => Nullable(await reader.GetInterfacesByKeyAsync(tenant, keys, ct)), null);
        Links = new(async (keys, ct) => Nullable(await reader.GetLinksAsync(tenant, keys, ct)), null);
        Neighbors = new(async (keys, ct) => await reader.GetNeighborsAsync(tenant, keys, ct), []);
    }

    private static Dictionary<string, T?> Nullable<T>(IReadOnlyDictionary<string, T> rows)
        where T : class => rows.ToDictionary(p => p.Key, p => (T?)p.Value, StringComparer.Ordinal);

    /// <summary>Regions by key.</summary>
    public BatchLoader<string, RegionRecord?> Regions { get; }

    /// <summary>Device counts by region key.</summary>
    public BatchLoader<string, int> RegionDeviceCounts { get; }

    /// <summary>Devices by key.</summary>
    public BatchLoader<string, DeviceRecord?> Devices { get; }

    /// <summary>Interfaces of a device, by device key.</summary>
    public BatchLoader<string, IReadOnlyList<InterfaceRecord>> Interfaces { get; }

    /// <summary>Interfaces by <c>device/name</c> key.</summary>
    public BatchLoader<string, InterfaceRecord?> InterfacesByKey { get; }

    /// <summary>Links by key.</summary>
    public BatchLoader<string, LinkRecord?> Links { get; }

    /// <summary>Neighbours of a device, by device key.</summary>
    public BatchLoader<string, IReadOnlyList<NeighborRecord>> Neighbors { get; }

    /// <summary>The loaders of the request <paramref name="context"/> belongs to, created on first use.</summary>
    public static RequestLoaders For(IResolveFieldContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var user = context.PdsnoUser();
        lock (user)
        {
            if (user.TryGetValue(ContextKey, out var existing) && existing is RequestLoaders loaders)
            {
                return loaders;
            }

            var services = context.RequestServices ?? throw new InvalidOperationException("The execution has no request services.");
            loaders = new RequestLoaders(services.GetRequiredService<TopologyReader>(), user.Tenant);
            user[ContextKey] = loaders;
            return loaders;
        }
    }
}
