using System.Collections.Immutable;
using Pdsno.Abstractions.Intents;

namespace Pdsno.Grains.Intents;

// The closed loop: a link predicted to congest carries its forecast load in the ledger, and the intents over it are
// compiled again against that load.
public sealed partial class IntentEngine
{
    /// <summary>
    /// Counts <paramref name="forecastBps"/> as used on <paramref name="link"/> and compiles again, highest priority first,
    /// the intents over it that reserve bandwidth: each takes the best path the ledger now allows, which avoids the link
    /// when the forecast leaves no room for it there. One that finds no other path keeps the one it had: a forecast is not
    /// a failure. Intents that reserve no bandwidth stay (a load cannot crowd them out). With <paramref name="move"/>
    /// false nothing changes and every intent over the link is answered as staying for <paramref name="offReason"/>.
    /// </summary>
    public (IReadOnlyList<IntentEntry> Changed, ImmutableArray<IntentReroute> Moved, ImmutableArray<IntentStay> Stayed) Reoptimize(
        string link, long forecastBps, bool move, string offReason = "the closed loop is off")
    {
        ArgumentNullException.ThrowIfNull(link);
        var l = Graph.LinkIndex(link);
        if (l < 0)
        {
            return ([], [], []);
        }

        var over = Ledger.Holders(l).Select(h => _intents[h.Intent]).Distinct()
            .OrderByDescending(e => e.Priority).ThenBy(e => e.Id, StringComparer.Ordinal).ToList();
        var stayed = ImmutableArray.CreateBuilder<IntentStay>();
        if (!move)
        {
            stayed.AddRange(over.Select(e => new IntentStay(e.Id, offReason)));
            return ([], [], stayed.ToImmutable());
        }

        Ledger.SetForecast(l, forecastBps);
        var affected = over.Where(e => e.Bps > 0).ToList();
        stayed.AddRange(over.Where(e => e.Bps == 0).Select(e => new IntentStay(e.Id, "it reserves no bandwidth, so a forecast load does not crowd it out")));
        var old = affected.ToDictionary(e => e, e => e.Plan!);
        foreach (var e in affected)
        {
            Release(e);
        }

        var changed = new List<IntentEntry>();
        var moved = ImmutableArray.CreateBuilder<IntentReroute>();
        foreach (var e in affected)
        {
            var before = old[e];
            Place(e, displace: false, []);
            if (e.Placement == Placement.Placed && e.Plan!.AllLinks.SequenceEqual(before.AllLinks))
            {
                stayed.Add(new IntentStay(e.Id, $"its {e.Bps} bps still fit beside the forecast load"));
            }
            else if (e.Placement == Placement.Placed)
            {
                moved.Add(new IntentReroute(e.Id, _compiler.PathOf(before.From, before.Links!), _compiler.PathOf(e.Plan!.From, e.Plan.Links!)));
                changed.Add(e);
            }
            else
            {
                stayed.Add(new IntentStay(e.Id, $"no other path within its constraints has {e.Bps} bps free ({e.Reason}); it keeps its path"));
                e.Plan = before;
                e.Conflicts = [];
                Reserve(e, before);
                e.Placement = Placement.Placed;
                e.Reason = null;
            }
        }

        return (changed, moved.ToImmutable(), stayed.ToImmutable());
    }

    /// <summary>
    /// A predicted congestion cleared: the link's forecast load falls to <paramref name="remainingBps"/> (what its other
    /// direction still predicts, zero when nothing does) and FAILED intents are retried (those that moved away stay
    /// where they are). Answers the intents whose placement changed.
    /// </summary>
    public IReadOnlyList<IntentEntry> ClearForecast(string link, long remainingBps = 0)
    {
        ArgumentNullException.ThrowIfNull(link);
        var l = Graph.LinkIndex(link);
        var changed = new List<IntentEntry>();
        if (l >= 0 && Ledger.Forecast(l) > remainingBps)
        {
            Ledger.SetForecast(l, remainingBps);
            RetryFailed(changed);
        }

        return changed;
    }
}
