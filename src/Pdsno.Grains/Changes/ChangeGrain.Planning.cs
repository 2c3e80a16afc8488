using System.Collections.Immutable;
using Pdsno.Abstractions.Changes;
using Pdsno.Abstractions.Config;
using Pdsno.Abstractions.Devices;
using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Ids;
using Pdsno.Abstractions.Policy;
using Pdsno.Abstractions.Security;
using Pdsno.Grains.Projection;

namespace Pdsno.Grains.Changes;

// Planning: validation against the devices, diff, impact and classification of a proposal.
public sealed partial class ChangeGrain
{
    private async Task<Plan> PlanAsync(ChangeProposal proposal, Caller caller, ChangePolicy policy)
    {
        var shape = ChangeValidation.CheckShape(proposal, policy);
        if (shape.Count > 0)
        {
            return Plan.Refused(shape);
        }

        var inputs = proposal.Targets.Select(t => t with { Patch = ChangeValidation.Normalize(t.Patch) }).ToList();
        var devices = await Task.WhenAll(inputs.Select(async t =>
        {
            if (KeyPart.Problem(t.Device, "deviceId") is not null)
            {
                return ((DeviceSnapshot?)null, (ConfigPreparation?)null);
            }

            var grain = GrainFactory.GetGrain<IDeviceGrain>(new DeviceId(_id.Tenant, t.Device).ToString());
            var snapshot = await grain.GetSnapshotAsync();
            if (snapshot is null || !caller.CanSeeRegion(snapshot.Region))
            {
                return ((DeviceSnapshot?)null, (ConfigPreparation?)null);
            }

            return (snapshot, await grain.PrepareConfigAsync(policy.TargetTimeout));
        }));

        var refusals = new List<ChangeRefusal>();
        var planned = new List<PlannedTarget>();
        for (var i = 0; i < inputs.Count; i++)
        {
            var (snapshot, preparation) = devices[i];
            if (preparation?.Problem is { } problem)
            {
                refusals.Add(new ChangeRefusal(ChangeRefusalCode.Conflict, $"targets[{i}].deviceId: {problem}", ["input", "targets", i.ToString(System.Globalization.CultureInfo.InvariantCulture), "deviceId"]));
                continue;
            }

            var config = preparation?.View;
            if (snapshot is null || config is null)
            {
                // A device outside the caller's regions reads exactly like one that does not exist.
                refusals.Add(new ChangeRefusal(ChangeRefusalCode.NotFound, $"targets[{i}].deviceId: device '{inputs[i].Device}' not found", ["input", "targets", i.ToString(System.Globalization.CultureInfo.InvariantCulture), "deviceId"]));
                continue;
            }

            var label = $"{snapshot.Region}/{snapshot.Name}";
            var errors = ChangeValidation.CheckAgainst(i, label, inputs[i].Patch, config.Intended, config.Drift.IsDefaultOrEmpty ? null : config.Observed);
            refusals.AddRange(errors);
            if (errors.Count == 0)
            {
                planned.Add(new PlannedTarget(inputs[i].Device, label, snapshot.Region, snapshot.Role, config.Intended.Canonical(), inputs[i].Patch.ApplyTo(config.Intended)));
            }
        }

        if (refusals.Count > 0)
        {
            return Plan.Refused(refusals);
        }

        var live = ChangeRules.TouchesInterfaces(planned)
            ? await topology.ReadAsync(_id.Tenant, [.. planned.Select(t => t.Region).Distinct(StringComparer.Ordinal)])
            : ChangeTopology.Empty;
        var impact = ChangeRules.Impact(planned, live);
        var (level, reasons) = ChangeRules.Classify(
            planned, live, policy, proposal.Emergency, (proposal.Intent is not null || !proposal.Intents.IsDefaultOrEmpty) && (policy.IntentRoutesLow || proposal.Reroute),
            proposal.Intents.IsDefaultOrEmpty ? null : [.. proposal.Intents.Select(i => (i.Intent, (IReadOnlyCollection<string>)i.Devices))]);
        if (proposal.Review && level == Sensitivity.Low)
        {
            (level, reasons) = (Sensitivity.Medium, reasons.Add("proposed by the closed loop where the region's policy asks an approver"));
        }

        // The whole configs go to the plan state; the change keeps their hashes.
        var targets = planned.Select((t, i) => new ChangeTarget(
            t.Device, t.Label[(t.Region.Length + 1)..], t.Region, inputs[i].Patch, null, null,
            ConfigDiff.Compute(t.Before, t.After), ConfigDiff.Unified(t.Label, t.Before, t.After), BeforeHash: t.Before.Hash(), AfterHash: t.After.Hash())).ToImmutableArray();
        return new Plan([], targets, [.. planned.Select(t => new PlannedConfig(t.Device, t.Before, t.After))], impact, level, reasons);
    }

    // Stored before the change that refers to it, beside the plan the change has now. Its durability may wait: the
    // change's own commit, which follows and waits for the disk, makes it durable in log order.
    private async Task<string> StorePlanAsync(Plan planned)
    {
        var id = Guid.NewGuid().ToString("N");
        configs.State.Plans = [.. configs.State.Plans.Where(p => p.Id == state.State.PlanId), new StoredPlan(id, planned.Configs)];
        using (DeferredDurability.Begin())
        {
            await configs.WriteStateAsync();
        }

        return id;
    }

    // The whole configs of a target: from the plan, or inline in a change stored before the plan was kept apart.
    private DeviceConfig BeforeOf(int index, ChangeTarget target) => PlannedOf(index, target)?.Before ?? target.Before ?? throw MissingPlan(target);

    private DeviceConfig AfterOf(int index, ChangeTarget target) => PlannedOf(index, target)?.After ?? target.After ?? throw MissingPlan(target);

    // The plan the state names. A proposal executed in the same call runs before its change is stored: it uses the only
    // plan there is, as a new change's first plan keeps no other. A change stored with its configs inline names none.
    private PlannedConfig? PlannedOf(int index, ChangeTarget target)
    {
        var plans = configs.State.Plans;
        var plan = state.State.PlanId is { } id ? plans.FirstOrDefault(p => p.Id == id) : state.State.Change is null ? plans.LastOrDefault() : null;
        var targets = plan?.Targets ?? [];
        return index < targets.Length && targets[index].Device == target.Device ? targets[index] : null;
    }

    private InvalidOperationException MissingPlan(ChangeTarget target) => new($"change {_id} has no stored config for target {target.Device}");

    private sealed record Plan(
        IReadOnlyList<ChangeRefusal> Refusals,
        ImmutableArray<ChangeTarget> Targets,
        ImmutableArray<PlannedConfig> Configs,
        ChangeImpact Impact,
        Sensitivity Sensitivity,
        ImmutableArray<string> Reasons)
    {
        public static Plan Refused(IReadOnlyList<ChangeRefusal> refusals) => new(refusals, [], [], ChangeImpact.None, Sensitivity.Low, []);
    }
}
