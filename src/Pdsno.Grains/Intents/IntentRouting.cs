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
    /// The change targets that move several intents at once, in order, each from the routes it holds to the ones it
    /// should, on the devices' current routes; and per intent, the devices where it changes something (an intent that
    /// changes nothing has none). A route one intent gives up stays where another wants it: another of these moves, or
    /// one of <paramref name="shared"/> (by device, the routes intents outside these moves install).
    /// </summary>
    public static (ImmutableArray<ChangeTargetInput> Targets, ImmutableArray<IntentTargets> Intents) Merge(
        IReadOnlyList<RouteMove> moves, IReadOnlyDictionary<string, ImmutableArray<StaticRoute>> current, ImmutableArray<IntentRoutes> shared = default)
    {
        ArgumentNullException.ThrowIfNull(moves);
        ArgumentNullException.ThrowIfNull(current);
        var kept = new HashSet<(string Device, string Prefix, string NextHop)>();
        foreach (var r in (shared.IsDefault ? [] : shared).Concat(moves.SelectMany(m => m.Desired.IsDefault ? [] : m.Desired)))
        {
            kept.UnionWith(r.Routes.Select(x => (r.Device, x.Prefix, x.NextHop)));
        }

        // Per device: its routes by key as the moves leave them, and the routes the moves set, in the order they set them.
        // By key, so a few routes moved on a device holding thousands cost a pass, not a pass per route.
        var routes = new Dictionary<string, (Dictionary<(string Prefix, string NextHop), StaticRoute> Map, List<StaticRoute> Set)>(StringComparer.Ordinal);
        var shares = ImmutableArray.CreateBuilder<IntentTargets>(moves.Count);
        foreach (var move in moves)
        {
            var before = move.Held.IsDefault ? [] : move.Held;
            var after = move.Desired.IsDefault ? [] : move.Desired;
            var touched = ImmutableArray.CreateBuilder<string>();
            foreach (var device in Devices(before, after).Order(StringComparer.Ordinal))
            {
                if (!current.TryGetValue(device, out var now))
                {
                    continue;
                }

                if (!routes.TryGetValue(device, out var held))
                {
                    var map = new Dictionary<(string Prefix, string NextHop), StaticRoute>(now.Length);
                    foreach (var r in now)
                    {
                        map[r.Key] = r;
                    }

                    routes[device] = held = (map, []);
                }

                var had = before.FirstOrDefault(r => r.Device == device)?.Routes ?? [];
                var wants = after.FirstOrDefault(r => r.Device == device)?.Routes ?? [];
                var wanted = wants.Select(w => w.Key).ToHashSet();
                var changed = false;
                foreach (var r in had.Where(r => !wanted.Contains(r.Key) && !kept.Contains((device, r.Prefix, r.NextHop))))
                {
                    changed |= held.Map.Remove(r.Key);
                    held.Set.RemoveAll(x => x.Key == r.Key);
                }

                foreach (var w in wants)
                {
                    if (held.Map.TryGetValue(w.Key, out var there) && there == w)
                    {
                        continue;
                    }

                    held.Map[w.Key] = w;
                    held.Set.RemoveAll(x => x.Key == w.Key);
                    held.Set.Add(w);
                    changed = true;
                }

                if (changed)
                {
                    touched.Add(device);
                }
            }

            shares.Add(new IntentTargets(move.Intent, touched.ToImmutable()));
        }

        var targets = ImmutableArray.CreateBuilder<ChangeTargetInput>();
        foreach (var (device, held) in routes.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            var now = current[device];
            var had = now.ToHashSet();
            var remove = now.Where(r => !held.Map.ContainsKey(r.Key)).Select(r => new RouteRef(r.Prefix, r.NextHop)).ToImmutableArray();
            var add = held.Set.Where(r => !had.Contains(r)).ToImmutableArray();
            if (remove.Length > 0 || add.Length > 0)
            {
                targets.Add(new ChangeTargetInput(device, new ConfigPatch(AddRoutes: add, RemoveRoutes: remove)));
            }
        }

        return (targets.ToImmutable(), shares.ToImmutable());
    }

    /// <summary>The routes, by device, that the moves give up: held and no longer desired (by prefix and next hop).</summary>
    public static ImmutableArray<IntentRoutes> GivenUp(IEnumerable<RouteMove> moves)
    {
        ArgumentNullException.ThrowIfNull(moves);
        var routes = new Dictionary<string, List<StaticRoute>>(StringComparer.Ordinal);
        foreach (var move in moves)
        {
            var desired = move.Desired.IsDefault ? [] : move.Desired;
            foreach (var held in move.Held.IsDefault ? [] : move.Held)
            {
                var keep = desired.FirstOrDefault(r => r.Device == held.Device)?.Routes.Select(r => r.Key).ToHashSet() ?? [];
                var gone = held.Routes.Where(r => !keep.Contains(r.Key)).ToList();
                if (gone.Count > 0)
                {
                    (routes.TryGetValue(held.Device, out var list) ? list : routes[held.Device] = []).AddRange(gone);
                }
            }
        }

        return [.. routes.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => new IntentRoutes(r.Key, [.. r.Value]))];
    }

    /// <summary>The devices whose routes the intent touches going from <paramref name="held"/> to <paramref name="desired"/>.</summary>
    public static IEnumerable<string> Devices(ImmutableArray<IntentRoutes> held, ImmutableArray<IntentRoutes> desired) =>
        held.Select(r => r.Device).Union(desired.Select(r => r.Device), StringComparer.Ordinal);
}
