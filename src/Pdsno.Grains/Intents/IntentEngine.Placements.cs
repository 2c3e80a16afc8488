using System.Collections.Immutable;
using Pdsno.Abstractions.Config;
using Pdsno.Abstractions.Intents;

namespace Pdsno.Grains.Intents;

// What the engine tells intent grains: an entry's placement as a wire record, and the load of links.
public sealed partial class IntentEngine
{
    /// <summary>The placement of a held intent: placed or not, why, and its compilation (path, loads, patches).</summary>
    public IntentPlacement PlacementOf(IntentEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new IntentPlacement(
            entry.Id, [], entry.Placement == Placement.Placed, entry.Placement == Placement.Conflict, entry.Reason,
            entry.Withdrawn ? null : Compiled(entry.Id), RegionsOf(entry.Spec));
    }

    /// <summary>
    /// The regions of a connectivity intent's endpoints, or of the devices a compliance intent selects (by which a
    /// region-scoped token sees it), in order.
    /// </summary>
    public ImmutableArray<string> RegionsOf(IntentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var devices = spec.Connectivity is { } c
            ? new[] { c.A.Device, c.B.Device }.Select(Graph.DeviceIndex).Where(d => d >= 0)
            : spec.Compliance is { } compliance ? Enumerable.Range(0, Graph.DeviceCount).Where(d => ComplianceRules.Selects(compliance, Graph, d)) : [];
        return [.. devices.Select(d => Graph.Region(Graph.Device(d).Region)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    /// <summary>Whether the engine holds a compliance intent (which then follows config events too).</summary>
    public bool HasCompliance => _compliance.Count > 0;

    /// <summary>The placed compliance intents that select any of <paramref name="devices"/> (by key), in the order they came.</summary>
    public IEnumerable<IntentEntry> ComplianceSelecting(IReadOnlyCollection<string> devices)
    {
        ArgumentNullException.ThrowIfNull(devices);
        var indexes = devices.Select(Graph.DeviceIndex).Where(d => d >= 0).ToList();
        return _compliance.Select(i => _intents[i])
            .Where(e => e.Placement == Placement.Placed && indexes.Any(d => ComplianceRules.Selects(e.Spec.Compliance!, Graph, d)));
    }

    /// <summary>
    /// Of <paramref name="routes"/> (by device), those that placed connectivity intents other than
    /// <paramref name="except"/> install too: routes to one prefix through one next hop that several intents share.
    /// </summary>
    public ImmutableArray<IntentRoutes> WantedByOthers(IReadOnlySet<string> except, ImmutableArray<IntentRoutes> routes)
    {
        ArgumentNullException.ThrowIfNull(except);
        var asked = (routes.IsDefault ? [] : routes).ToDictionary(r => r.Device, r => r.Routes.Select(x => x.Key).ToHashSet(), StringComparer.Ordinal);
        var devices = asked.Keys.Select(Graph.DeviceIndex).Where(d => d >= 0).ToHashSet();
        var wanted = new Dictionary<string, HashSet<StaticRoute>>(StringComparer.Ordinal);
        // Only an intent reserved on a link of one of the devices (its path or backup crosses it) installs a route there.
        foreach (var e in Affected([], devices).Select(i => _intents[i]))
        {
            if (except.Contains(e.Id) || e.Spec.Connectivity is not { } spec || e.Plan is not { Feasible: true } plan)
            {
                continue;
            }

            foreach (var patch in _compiler.Routes(spec, plan))
            {
                if (asked.TryGetValue(patch.Device, out var keys))
                {
                    foreach (var r in (patch.Patch.AddRoutes.IsDefault ? [] : patch.Patch.AddRoutes).Where(r => keys.Contains(r.Key)))
                    {
                        (wanted.TryGetValue(patch.Device, out var set) ? set : wanted[patch.Device] = []).Add(r);
                    }
                }
            }
        }

        return [.. wanted.OrderBy(w => w.Key, StringComparer.Ordinal).Select(w => new IntentRoutes(w.Key, [.. w.Value]))];
    }

    /// <summary>What intents reserve on each link named (unknown links answer zero and none).</summary>
    public ImmutableArray<LinkReservation> Reservations(IEnumerable<string> links)
    {
        ArgumentNullException.ThrowIfNull(links);
        return [.. links.Select(k =>
        {
            var l = Graph.LinkIndex(k);
            return l < 0 ? new LinkReservation(k, 0, []) : new LinkReservation(k, Ledger.Reserved(l), [.. IntentsOn(k).Order(StringComparer.Ordinal)]);
        })];
    }
}
