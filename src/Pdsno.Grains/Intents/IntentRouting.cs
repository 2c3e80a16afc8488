using System.Collections.Immutable;
using Pdsno.Abstractions.Changes;
using Pdsno.Abstractions.Config;
using Pdsno.Abstractions.Intents;

namespace Pdsno.Grains.Intents;

/// <summary>
/// Turns an intent's compiled patches into the routes it holds per device, and the difference between what it holds and
/// what it should hold into change targets, leaving out what a device already has (an added route another intent put
/// there) or lacks (a removed route already gone): a target that would change nothing is refused by the change.
/// </summary>
public static class IntentRouting
{
    /// <summary>The routes per device that a compilation installs, by device key.</summary>
    public static ImmutableArray<IntentRoutes> Desired(IntentCompilation? compilation) =>
        compilation is null
            ? []
            : [.. compilation.Patches
                .Where(p => !p.Patch.AddRoutes.IsDefaultOrEmpty)
                .Select(p => new IntentRoutes(p.Device, [.. p.Patch.AddRoutes]))
                .OrderBy(r => r.Device, StringComparer.Ordinal)];

    /// <summary>
    /// The change targets that take a device from <paramref name="held"/> to <paramref name="desired"/>, given each
    /// device's current routes (<paramref name="current"/>; a device missing from it is left out).
    /// </summary>
    public static ImmutableArray<ChangeTargetInput> Targets(
        ImmutableArray<IntentRoutes> held, ImmutableArray<IntentRoutes> desired, IReadOnlyDictionary<string, ImmutableArray<StaticRoute>> current)
    {
        ArgumentNullException.ThrowIfNull(current);
        var before = held.ToDictionary(r => r.Device, r => r.Routes, StringComparer.Ordinal);
        var after = desired.ToDictionary(r => r.Device, r => r.Routes, StringComparer.Ordinal);
        var targets = ImmutableArray.CreateBuilder<ChangeTargetInput>();
        foreach (var device in before.Keys.Union(after.Keys).Order(StringComparer.Ordinal))
        {
            if (!current.TryGetValue(device, out var routes))
            {
                continue;
            }

            var had = before.GetValueOrDefault(device, []);
            var wants = after.GetValueOrDefault(device, []);
            var keys = routes.Select(r => r.Key).ToHashSet();
            var remove = had.Where(r => !wants.Any(w => w.Key == r.Key) && keys.Contains(r.Key)).Select(r => new RouteRef(r.Prefix, r.NextHop)).ToImmutableArray();
            var add = wants.Where(w => !routes.Contains(w)).ToImmutableArray();
            if (remove.Length > 0 || add.Length > 0)
            {
                targets.Add(new ChangeTargetInput(device, new ConfigPatch(AddRoutes: add, RemoveRoutes: remove)));
            }
        }

        return targets.ToImmutable();
    }

    /// <summary>The devices whose routes the intent touches going from <paramref name="held"/> to <paramref name="desired"/>.</summary>
    public static IEnumerable<string> Devices(ImmutableArray<IntentRoutes> held, ImmutableArray<IntentRoutes> desired) =>
        held.Select(r => r.Device).Union(desired.Select(r => r.Device), StringComparer.Ordinal);
}
