using System.Collections.Immutable;
using Pdsno.Abstractions.Intents;

namespace Pdsno.Grains.Intents;

// What-ifs: the description of a compiled intent, compliance compilation and failure previews.
public sealed partial class IntentEngine
{
    /// <summary>
    /// What would happen if the links and devices named failed now: intents whose paths cross them recompile (highest
    /// priority first) against a copy of the ledger without their reservations. Changes nothing.
    /// </summary>
    public FailurePreview PreviewFailure(IReadOnlyList<string> linkIds, IReadOnlyList<string> deviceIds)
    {
        ArgumentNullException.ThrowIfNull(linkIds);
        ArgumentNullException.ThrowIfNull(deviceIds);
        var errors = ImmutableArray.CreateBuilder<IntentInputError>();
        var links = Resolve(linkIds, Graph.LinkIndex, "linkIds", "link", errors);
        var devices = Resolve(deviceIds, Graph.DeviceIndex, "deviceIds", "device", errors);
        if (linkIds.Count == 0 && deviceIds.Count == 0)
        {
            errors.Add(new IntentInputError("linkIds", "name at least one link or device"));
        }

        if (errors.Count > 0)
        {
            return new FailurePreview([], [], [], errors.ToImmutable());
        }

        var reserved = Ledger.CopyReserved(Graph.LinkCount);
        var affected = Affected(links, devices).Select(i => _intents[i]).ToList();
        foreach (var e in affected)
        {
            foreach (var l in e.Plan!.AllLinks)
            {
                reserved[l] -= e.Bps;
            }
        }

        var rerouted = ImmutableArray.CreateBuilder<IntentReroute>();
        var failed = ImmutableArray.CreateBuilder<IntentFailure>();
        foreach (var e in affected.OrderByDescending(e => e.Priority).ThenBy(e => e.Id, StringComparer.Ordinal))
        {
            var plan = _compiler.Compile(e.Spec.Connectivity!, reserved, displace: false, NameOf, links, devices);
            if (!plan.Feasible)
            {
                failed.Add(new IntentFailure(e.Id, plan.Reason!));
                continue;
            }

            foreach (var l in plan.AllLinks)
            {
                reserved[l] += e.Bps;
            }

            rerouted.Add(new IntentReroute(e.Id, _compiler.PathOf(e.Plan!.From, e.Plan.Links!), _compiler.PathOf(plan.From, plan.Links!)));
        }

        var loads = ImmutableArray.CreateBuilder<LinkLoad>();
        for (var l = 0; l < Graph.LinkCount; l++)
        {
            if (reserved[l] != Ledger.Reserved(l) || links.Contains(l))
            {
                loads.Add(new LinkLoad(Graph.Link(l).Key, Ledger.Capacity(Graph.Link(l).SpeedBps), Ledger.Reserved(l), reserved[l]));
            }
        }

        return new FailurePreview(rerouted.ToImmutable(), failed.ToImmutable(), loads.ToImmutable(), []);
    }

    /// <summary>The compiled form of a connectivity intent held by the engine (its current plan), or null.</summary>
    public IntentCompilation? Compiled(string id)
    {
        var entry = Get(id);
        if (entry is null)
        {
            return null;
        }

        if (entry.Spec.Kind == IntentKind.Compliance)
        {
            return CompileCompliance(entry.Spec, entry.Index);
        }

        var reserved = Ledger.CopyReserved(Graph.LinkCount);
        if (entry.Placement == Placement.Placed)
        {
            foreach (var l in entry.Plan!.AllLinks)
            {
                reserved[l] -= entry.Bps;
            }
        }

        return Describe(id, entry.Spec.Connectivity!, entry.Plan!, reserved);
    }

    private IntentCompilation Describe(string id, ConnectivitySpec spec, ConnectivityPlan plan, long[] before)
    {
        var loads = ImmutableArray.CreateBuilder<LinkLoad>();
        if (plan.Feasible)
        {
            var after = (long[])before.Clone();
            foreach (var d in plan.Displaced)
            {
                foreach (var l in LinksOf(d))
                {
                    after[l] -= _intents[d].Bps;
                }
            }

            foreach (var l in plan.AllLinks)
            {
                after[l] += spec.MinBandwidthBps;
            }

            foreach (var l in plan.AllLinks.Concat(plan.Displaced.SelectMany(LinksOf)).Distinct())
            {
                loads.Add(new LinkLoad(Graph.Link(l).Key, Ledger.Capacity(Graph.Link(l).SpeedBps), before[l], after[l]));
            }
        }

        return new IntentCompilation(
            id,
            plan.Feasible,
            plan.Reason,
            plan.Links is { } p ? _compiler.PathOf(plan.From, p) : null,
            plan.BackupLinks is { } b ? _compiler.PathOf(plan.From, b) : null,
            plan.Feasible ? spec.MinBandwidthBps : 0,
            loads.ToImmutable(),
            [.. plan.Conflicts],
            plan.Feasible ? _compiler.Routes(spec, plan) : [],
            [.. plan.Displaced.Select(NameOf)]);
    }

    private IntentCompilation CompileCompliance(IntentSpec spec, int self)
    {
        var c = spec.Compliance!;
        var patches = ImmutableArray.CreateBuilder<DevicePatch>();
        var conflicts = ImmutableArray.CreateBuilder<IntentConflict>();
        var others = _compliance.Where(i => i != self).Select(i => _intents[i]).ToList();
        for (var d = 0; d < Graph.DeviceCount; d++)
        {
            if (!ComplianceRules.Selects(c, Graph, d))
            {
                continue;
            }

            var patch = ComplianceRules.PatchFor(c, Graph, d);
            var key = Graph.Device(d).Key;
            patches.Add(new DevicePatch(key, patch));
            foreach (var other in others.Where(o => ComplianceRules.Selects(o.Spec.Compliance!, Graph, d)))
            {
                foreach (var field in ComplianceRules.Disagreements(patch, ComplianceRules.PatchFor(other.Spec.Compliance!, Graph, d)))
                {
                    conflicts.Add(new IntentConflict(ConflictKind.ComplianceKey, other.Id, $"intent '{other.Id}' sets {field} of device '{key}' to another value", key));
                }
            }
        }

        // An interface this intent disables that an installed path runs through.
        foreach (var e in Intents.Where(e => e.Index != self && e.Placement == Placement.Placed && e.Plan is not null))
        {
            foreach (var l in e.Plan!.AllLinks)
            {
                ref readonly var link = ref Graph.Link(l);
                foreach (var (device, name) in new[] { (link.A, link.InterfaceA), (link.B, link.InterfaceB) })
                {
                    if (ComplianceRules.Disables(c, Graph, device, name))
                    {
                        conflicts.Add(new IntentConflict(
                            ConflictKind.DisabledInterface, e.Id,
                            $"intent '{e.Id}' runs over interface '{name}' of device '{Graph.Device(device).Key}', which this intent disables",
                            Graph.Device(device).Key, link.Key));
                    }
                }
            }
        }

        var list = conflicts.ToImmutable();
        return new IntentCompilation(spec.Id, true, null, null, null, 0, [], list, patches.ToImmutable(), []);
    }

    private void AddDisabledInterfaceConflicts(string id, ConnectivityPlan plan)
    {
        if (plan.Links is null || _compliance.Count == 0)
        {
            return;
        }

        foreach (var l in plan.AllLinks)
        {
            ref readonly var link = ref Graph.Link(l);
            foreach (var (device, name) in new[] { (link.A, link.InterfaceA), (link.B, link.InterfaceB) })
            {
                foreach (var other in _compliance.Select(i => _intents[i]).Where(o => o.Id != id && ComplianceRules.Disables(o.Spec.Compliance!, Graph, device, name)))
                {
                    plan.Conflicts.Add(new IntentConflict(
                        ConflictKind.DisabledInterface, other.Id,
                        $"the path runs over interface '{name}' of device '{Graph.Device(device).Key}', which intent '{other.Id}' disables",
                        Graph.Device(device).Key, link.Key));
                }
            }
        }
    }

    private static HashSet<int> Resolve(IReadOnlyList<string> keys, Func<string, int> index, string field, string what, ImmutableArray<IntentInputError>.Builder errors)
    {
        var found = new HashSet<int>();
        for (var i = 0; i < keys.Count; i++)
        {
            var at = index(keys[i]);
            if (at < 0)
            {
                errors.Add(new IntentInputError($"{field}[{i}]", $"unknown {what} '{keys[i]}'"));
            }
            else
            {
                found.Add(at);
            }
        }

        return found;
    }
}
