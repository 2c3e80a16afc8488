using System.Collections.Immutable;
using Pdsno.Abstractions.Intents;

namespace Pdsno.Grains.Intents;

/// <summary>Where an intent stands in the engine.</summary>
public enum Placement
{
    /// <summary>Compiled and reserved in the ledger.</summary>
    Placed,

    /// <summary>No path (or backup) now; retried when the topology changes in a way that can help.</summary>
    Failed,

    /// <summary>Compiled but in conflict with another intent (named in its conflicts).</summary>
    Conflict,
}

/// <summary>One intent held by the engine: its spec and its current compiled placement.</summary>
public sealed class IntentEntry(int index, IntentSpec spec)
{
    /// <summary>The engine's index of the intent (never reused).</summary>
    public int Index { get; } = index;

    /// <summary>The spec.</summary>
    public IntentSpec Spec { get; internal set; } = spec;

    /// <summary>The intent's key.</summary>
    public string Id => Spec.Id;

    /// <summary>Where it stands.</summary>
    public Placement Placement { get; internal set; }

    /// <summary>Why it is not placed; null when placed.</summary>
    public string? Reason { get; internal set; }

    /// <summary>The connectivity plan (null for compliance intents).</summary>
    public ConnectivityPlan? Plan { get; internal set; }

    /// <summary>Conflicts found at its last compile.</summary>
    public ImmutableArray<IntentConflict> Conflicts { get; internal set; } = [];

    /// <summary>Withdrawn: kept only so indexes stay stable.</summary>
    public bool Withdrawn { get; internal set; }

    internal int Priority => Spec.Connectivity?.Priority ?? 0;

    internal long Bps => Spec.Connectivity?.MinBandwidthBps ?? 0;
}

/// <summary>
/// A tenant's intents against its topology graph and capacity ledger, without Orleans: previews that change nothing,
/// submission with displacement of lower priorities, withdrawal, failure what-ifs, and the reaction to topology
/// changes. Every method answers the intents whose placement changed, so the owner can reinstall them.
/// </summary>
public sealed partial class IntentEngine
{
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly List<IntentEntry> _intents = [];
    private readonly List<int> _compliance = [];
    private readonly ConnectivityCompiler _compiler;

    /// <summary>An engine over <paramref name="graph"/> with a ledger of <paramref name="headroom"/>.</summary>
    public IntentEngine(TopologyGraph graph, double headroom = CapacityLedger.DefaultHeadroom)
    {
        Graph = graph ?? throw new ArgumentNullException(nameof(graph));
        Ledger = new CapacityLedger(headroom);
        _compiler = new ConnectivityCompiler(graph, Ledger, LinksOf);
    }

    /// <summary>The topology graph.</summary>
    public TopologyGraph Graph { get; }

    /// <summary>The capacity ledger.</summary>
    public CapacityLedger Ledger { get; }

    /// <summary>The intents held (withdrawn ones excluded).</summary>
    public IEnumerable<IntentEntry> Intents => _intents.Where(i => !i.Withdrawn);

    /// <summary>An intent by key, or null.</summary>
    public IntentEntry? Get(string id) => _index.TryGetValue(id, out var i) ? _intents[i] : null;

    /// <summary>The intents running over a link, by key.</summary>
    public IEnumerable<string> IntentsOn(string link)
    {
        var l = Graph.LinkIndex(link);
        return l < 0 ? [] : Ledger.Holders(l).Select(h => _intents[h.Intent].Id).Distinct(StringComparer.Ordinal);
    }

    /// <summary>Compiles <paramref name="spec"/> against the live graph and ledger; changes nothing.</summary>
    public IntentPreview Preview(IntentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var errors = IntentValidation.Check(spec, Graph);
        if (errors.Length > 0)
        {
            return new IntentPreview(null, errors);
        }

        var self = _index.TryGetValue(spec.Id, out var existing) ? existing : -1;
        if (spec.Kind == IntentKind.Compliance)
        {
            return new IntentPreview(CompileCompliance(spec, self), []);
        }

        // An update is previewed as if the intent's own reservations were free.
        var reserved = Ledger.CopyReserved(Graph.LinkCount);
        if (self >= 0)
        {
            foreach (var l in LinksOf(self))
            {
                reserved[l] -= _intents[self].Bps;
            }
        }

        var c = spec.Connectivity!;
        var plan = _compiler.Compile(c, reserved, displace: true, NameOf);
        plan.Displaced.Remove(self);
        AddDisabledInterfaceConflicts(spec.Id, plan);
        return new IntentPreview(Describe(spec.Id, c, plan, reserved), []);
    }

    /// <summary>
    /// Compiles and stores <paramref name="spec"/> (replacing an intent of the same key), reserving its paths and
    /// displacing lower priorities, which recompile at once. Returns the input errors (nothing stored) or the intents
    /// whose placement changed, this one first.
    /// </summary>
    public (ImmutableArray<IntentInputError> Errors, IReadOnlyList<IntentEntry> Changed) Submit(IntentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var errors = IntentValidation.Check(spec, Graph);
        if (errors.Length > 0)
        {
            return (errors, []);
        }

        IntentEntry entry;
        if (_index.TryGetValue(spec.Id, out var index))
        {
            entry = _intents[index];
            Release(entry);
            entry.Spec = spec;
        }
        else
        {
            entry = new IntentEntry(_intents.Count, spec);
            _intents.Add(entry);
            _index[spec.Id] = entry.Index;
            if (spec.Kind == IntentKind.Compliance)
            {
                _compliance.Add(entry.Index);
            }
        }

        var changed = new List<IntentEntry> { entry };
        Place(entry, displace: true, changed);
        return ([], changed);
    }

    /// <summary>
    /// Withdraws an intent, freeing its reservations; FAILED intents are retried, and those in CONFLICT with it are placed
    /// again. Null when it does not exist.
    /// </summary>
    public IReadOnlyList<IntentEntry>? Withdraw(string id)
    {
        if (!_index.Remove(id, out var index))
        {
            return null;
        }

        var entry = _intents[index];
        Release(entry);
        entry.Withdrawn = true;
        _compliance.Remove(index);
        var changed = new List<IntentEntry> { entry };
        RetryConflicting(id, changed);
        RetryFailed(changed);
        return changed;
    }

    /// <summary>
    /// Recompiles the intents a topology change broke (their paths cross a link that went down or a device that left
    /// ACTIVE), highest priority first, and retries FAILED intents when something came up. Returns those that changed.
    /// </summary>
    public IReadOnlyList<IntentEntry> React(TopologyDelta delta)
    {
        ArgumentNullException.ThrowIfNull(delta);
        var changed = new List<IntentEntry>();
        if (delta.Broke)
        {
            var links = delta.LinksDown.Select(Graph.LinkIndex).Where(l => l >= 0).ToHashSet();
            var devices = delta.DevicesDown.Select(Graph.DeviceIndex).Where(d => d >= 0).ToHashSet();
            var affected = Affected(links, devices).Select(i => _intents[i]).ToList();
            foreach (var e in affected)
            {
                Release(e);
            }

            foreach (var e in affected.OrderByDescending(e => e.Priority).ThenBy(e => e.Id, StringComparer.Ordinal))
            {
                Place(e, displace: false, changed);
                changed.Add(e);
            }
        }

        if (delta.Improved || delta.Broke)
        {
            RetryFailed(changed);
        }

        return changed;
    }

    private void Place(IntentEntry entry, bool displace, List<IntentEntry> changed)
    {
        if (entry.Spec.Kind == IntentKind.Compliance)
        {
            var compiled = CompileCompliance(entry.Spec, entry.Index);
            entry.Conflicts = compiled.Conflicts;
            entry.Placement = compiled.Conflicts.Length > 0 ? Placement.Conflict : Placement.Placed;
            entry.Reason = compiled.Conflicts.Length > 0 ? compiled.Conflicts[0].Message : null;
            return;
        }

        var plan = _compiler.Compile(entry.Spec.Connectivity!, Ledger.ReservedByLink, displace, NameOf);
        AddDisabledInterfaceConflicts(entry.Id, plan);
        entry.Plan = plan;
        entry.Conflicts = [.. plan.Conflicts];
        if (!plan.Feasible)
        {
            entry.Placement = Placement.Failed;
            entry.Reason = plan.Reason;
            return;
        }

        if (plan.Conflicts.Count > 0)
        {
            entry.Placement = Placement.Conflict;
            entry.Reason = plan.Conflicts[0].Message;
            return;
        }

        var displaced = plan.Displaced.Select(i => _intents[i]).ToList();
        foreach (var d in displaced)
        {
            Release(d);
        }

        Reserve(entry, plan);
        entry.Placement = Placement.Placed;
        entry.Reason = null;
        foreach (var d in displaced.OrderByDescending(d => d.Priority))
        {
            Place(d, displace: true, changed);
            if (d.Placement != Placement.Placed)
            {
                d.Reason = $"displaced by intent '{entry.Id}' (priority {entry.Priority}): {d.Reason}";
            }

            changed.Add(d);
        }
    }

    // The intents held in CONFLICT by one that is gone, highest priority first: those that now place are changed.
    private void RetryConflicting(string gone, List<IntentEntry> changed)
    {
        foreach (var e in Intents.Where(e => e.Placement == Placement.Conflict && e.Conflicts.Any(c => c.OtherIntent == gone))
            .OrderByDescending(e => e.Priority).ThenBy(e => e.Id, StringComparer.Ordinal).ToList())
        {
            Place(e, displace: false, changed);
            if (e.Placement != Placement.Conflict)
            {
                changed.Add(e);
            }
        }
    }

    private void RetryFailed(List<IntentEntry> changed)
    {
        var seen = changed.ToHashSet();
        foreach (var e in Intents.Where(e => e.Placement == Placement.Failed && !seen.Contains(e)).OrderByDescending(e => e.Priority).ToList())
        {
            Place(e, displace: false, changed);
            if (e.Placement == Placement.Placed)
            {
                changed.Add(e);
            }
        }
    }

    private void Reserve(IntentEntry entry, ConnectivityPlan plan)
    {
        foreach (var l in plan.AllLinks)
        {
            Ledger.Reserve(l, entry.Index, entry.Bps, entry.Priority);
        }
    }

    private void Release(IntentEntry entry)
    {
        if (entry.Placement == Placement.Placed && entry.Plan is { } plan)
        {
            foreach (var l in plan.AllLinks)
            {
                Ledger.Release(l, entry.Index);
            }
        }

        entry.Placement = Placement.Failed;
        entry.Reason = "recompiling";
    }

    private IEnumerable<int> LinksOf(int intent) =>
        _intents[intent] is { Placement: Placement.Placed, Plan: { } plan } ? plan.AllLinks : [];

    // The intents reserved on any of the links or on a link of any of the devices.
    private HashSet<int> Affected(HashSet<int> links, HashSet<int> devices)
    {
        var affected = new HashSet<int>();
        foreach (var l in links)
        {
            foreach (var h in Ledger.Holders(l))
            {
                affected.Add(h.Intent);
            }
        }

        foreach (var d in devices)
        {
            foreach (var l in Graph.LinksOf(d))
            {
                foreach (var h in Ledger.Holders(l))
                {
                    affected.Add(h.Intent);
                }
            }
        }

        return affected;
    }

    private string NameOf(int intent) => _intents[intent].Id;
}
