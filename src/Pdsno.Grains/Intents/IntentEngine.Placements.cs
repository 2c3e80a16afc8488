using System.Collections.Immutable;
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

    /// <summary>The regions of a connectivity intent's endpoints (by which a region-scoped token sees it), in order.</summary>
    public ImmutableArray<string> RegionsOf(IntentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Connectivity is not { } c)
        {
            return [];
        }

        return [.. new[] { c.A.Device, c.B.Device }.Select(Graph.DeviceIndex).Where(d => d >= 0)
            .Select(d => Graph.Region(Graph.Device(d).Region)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
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
