using System.Collections.Concurrent;
using System.Reflection;
using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Security;

namespace Pdsno.Grains.Security;

/// <summary>What a grain method asks of a caller from outside the cluster, read once from its interface's attributes.</summary>
public sealed record GrainAccess(bool AnyCaller, RequiresAttribute? Requires)
{
    private static readonly ConcurrentDictionary<MethodInfo, GrainAccess> Cache = new();

    /// <summary>The access rule of an interface method.</summary>
    public static GrainAccess Of(MethodInfo method) =>
        Cache.GetOrAdd(method, m => new GrainAccess(m.IsDefined(typeof(AnyCallerAttribute), false), m.GetCustomAttribute<RequiresAttribute>(false)));
}

/// <summary>
/// The grain-boundary check, with no Orleans in it: may a caller call a method with this access rule
/// on the grain with this key? Grain keys start with the tenant (<c>tenant/...</c>); region and controller keys
/// carry the region second, as do simulated devices' (<c>tenant/region/name</c>).
/// </summary>
public static class GrainAccessPolicy
{
    /// <summary>Null when allowed; otherwise why not, in words fit for the audit trail.</summary>
    public static string? Decide(GrainAccess access, Caller? caller, Type grainInterface, string grainKey, string method)
    {
        ArgumentNullException.ThrowIfNull(access);
        ArgumentNullException.ThrowIfNull(grainInterface);
        ArgumentNullException.ThrowIfNull(grainKey);
        if (access.AnyCaller || caller is { IsSystem: true })
        {
            return null;
        }

        if (caller is null)
        {
            return $"{grainInterface.Name}.{method} was called without a caller";
        }

        if (access.Requires is not { } requires)
        {
            return $"{grainInterface.Name}.{method} is internal to PDSNO";
        }

        if (!caller.Has(requires.Role))
        {
            return $"{grainInterface.Name}.{method} needs the {RoleNames.NameOf(requires.Role)} role";
        }

        if (requires.TenantWide && caller.IsRegionScoped)
        {
            return $"{grainInterface.Name}.{method} acts on the whole tenant; the token is limited to regions {string.Join(",", caller.Regions)}";
        }

        if (requires.GrainChecksTenant)
        {
            return null;
        }

        var parts = grainKey.Split('/');
        if (!string.Equals(parts[0], caller.Tenant, StringComparison.Ordinal))
        {
            return $"{grainInterface.Name} '{grainKey}' belongs to another tenant";
        }

        var regional = grainInterface == typeof(IRegionGrain) || grainInterface == typeof(ILocalControllerGrain) || grainInterface == typeof(ISimulatedDeviceGrain);
        if (regional && (parts.Length < 2 || !caller.CanSeeRegion(parts[1])))
        {
            return $"{grainInterface.Name} '{grainKey}' is outside the token's regions";
        }

        return null;
    }
}
