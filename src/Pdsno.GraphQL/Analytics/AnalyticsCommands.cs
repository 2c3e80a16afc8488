using System.Collections.Immutable;
using Orleans;
using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Ids;
using Pdsno.Abstractions.Policy;
using Pdsno.Abstractions.Security;
using Pdsno.Analytics.Traffic;
using Pdsno.Discovery.Drivers;
using Pdsno.GraphQL.Mutations;
using Pdsno.Storage.Telemetry;

namespace Pdsno.GraphQL.Analytics;

/// <summary>What a backfill wrote: how many interfaces and samples, over which span, and which regions it left alone.</summary>
public sealed record BackfillOutcome(int Interfaces, long Samples, DateTimeOffset Since, DateTimeOffset Until, int StepSeconds, IReadOnlyList<string> Regions, IReadOnlyList<string> SkippedRegions);

/// <summary>
/// Sandbox: fills interface history of the simulated network from the traffic generator, so forecasts and anomaly
/// detection have weeks of data to work on without waiting weeks.
/// </summary>
public sealed class AnalyticsCommands(IGrainFactory grains, InterfaceHistoryStore store, TimeProvider time)
{
    /// <summary>The most days one backfill writes.</summary>
    public const int MaxDays = 42;

    /// <summary>The most samples one backfill writes.</summary>
    public const long MaxSamples = 20_000_000;

    /// <summary>
    /// Replaces the history of every interface in the caller's simulated regions (or the one region named) for the
    /// last <paramref name="days"/> days with generated traffic, one sample every <paramref name="stepSeconds"/>. Each
    /// of <paramref name="ramps"/> adds a slow ramp to both directions of a link: nothing at the start, its percent of
    /// the link's speed by now.
    /// </summary>
    public async Task<CommandResult<BackfillOutcome>> BackfillAsync(Caller caller, string? region, int days, int stepSeconds, CancellationToken ct, IReadOnlyList<HistoryRampInput>? ramps = null)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (days is < 1 or > MaxDays)
        {
            return CommandResult.Fail<BackfillOutcome>(UserErrorCode.BadUserInput, $"days: {days} must be between 1 and {MaxDays}", "input", "days");
        }

        if (stepSeconds is < 60 or > 900 || 900 % stepSeconds != 0)
        {
            return CommandResult.Fail<BackfillOutcome>(UserErrorCode.BadUserInput, $"stepSeconds: {stepSeconds} must be at least 60 and divide 900 (the forecasts' fifteen-minute buckets)", "input", "stepSeconds");
        }

        if (region is not null && !caller.CanSeeRegion(region))
        {
            return CommandResult.Fail<BackfillOutcome>(UserErrorCode.NotFound, $"region '{region}' not found", "input", "regionId");
        }

        IReadOnlyCollection<string>? regions = region is not null ? [region] : caller.IsRegionScoped ? caller.Regions : null;
        var interfaces = await store.ListInterfacesAsync(caller.Tenant, regions, ct);
        if (region is not null && interfaces.Count == 0)
        {
            return CommandResult.Fail<BackfillOutcome>(UserErrorCode.NotFound, $"region '{region}' not found or has no interfaces", "input", "regionId");
        }

        // History is only invented where the network is invented too: regions discovered by another driver keep theirs.
        var (simulated, skipped) = (new List<string>(), new List<string>());
        foreach (var r in interfaces.Select(i => i.Region).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            (await IsSimulatedAsync(caller.Tenant, r) ? simulated : skipped).Add(r);
        }

        var chosen = interfaces.Where(i => simulated.Contains(i.Region, StringComparer.Ordinal)).ToList();
        var step = TimeSpan.FromSeconds(stepSeconds);
        var count = (int)(TimeSpan.FromDays(days) / step);
        if ((long)count * chosen.Count > MaxSamples)
        {
            return CommandResult.Fail<BackfillOutcome>(
                UserErrorCode.BadUserInput,
                $"days: {chosen.Count} interfaces × {count} samples is {(long)count * chosen.Count:N0} samples, more than {MaxSamples:N0} in one backfill; use fewer days, a longer stepSeconds or one region",
                "input",
                "days");
        }

        var ramped = new Dictionary<(string Device, string Interface), double>();
        if (ramps is { Count: > 0 } && await RampsAsync(caller, chosen, ramps, ramped, ct) is { } bad)
        {
            return bad;
        }

        var now = time.GetUtcNow();
        var until = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds() / stepSeconds * stepSeconds);
        var since = until - (step * count);
        var generators = chosen.ToDictionary(i => i, i => TrafficFlows.ForInterface(caller.Tenant, i.Device, i.Interface, i.Peer, since));
        var written = await store.ReplaceAsync(caller.Tenant, chosen, since, step, count, (i, k) =>
        {
            var (outbound, inbound) = generators[i];
            var at = since + (step * k);
            var ramp = ramped.GetValueOrDefault((i.Device, i.Interface)) * (k + 1) / count;
            return new HistorySample(Math.Min(1, inbound.Sample(at, step) + ramp) * i.SpeedBps, Math.Min(1, outbound.Sample(at, step) + ramp) * i.SpeedBps);
        }, ct);
        return CommandResult.Ok(new BackfillOutcome(chosen.Count, written, since, until, stepSeconds, simulated, skipped));
    }

    /// <summary>Stores a new policy version with these analytics rules (omitted values keep theirs).</summary>
    public async Task<CommandResult<GlobalPolicy>> SetPolicyAsync(Caller caller, SetAnalyticsPolicyInput input)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(input);
        var policy = grains.GetGrain<IGlobalPolicyGrain>(caller.Tenant);
        var current = (await policy.GetPolicyAsync()).Analytics;
        var rules = new AnalyticsPolicy(
            input.MinuteRetentionDays ?? current.MinuteRetentionDays,
            input.HourlyRetentionDays ?? current.HourlyRetentionDays,
            input.CongestionThresholdPercent ?? current.CongestionThresholdPercent,
            input.CongestionHorizonSeconds is { } s ? TimeSpan.FromSeconds(s) : current.CongestionHorizon,
            input.ClosedLoop ?? current.ClosedLoop,
            current.ClosedLoopRegions);
        if (input.ClosedLoopRegions is { } regions)
        {
            if (regions.GroupBy(r => r.RegionId, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
            {
                return CommandResult.Fail<GlobalPolicy>(UserErrorCode.BadUserInput, $"closedLoopRegions: region '{twice.Key}' is given twice", "input", "closedLoopRegions");
            }

            rules = rules with { ClosedLoopRegions = regions.Count == 0 ? null : regions.ToImmutableDictionary(r => r.RegionId, r => r.Mode, StringComparer.Ordinal) };
        }

        try
        {
            return CommandResult.Ok(await policy.SetAnalyticsPolicyAsync(rules));
        }
        catch (ArgumentException ex)
        {
            return CommandResult.Fail<GlobalPolicy>(UserErrorCode.BadUserInput, ex.Message, "input");
        }
    }

    // Both ends of each ramped link, with the share of the speed the ramp reaches; a link that is not among the
    // interfaces being filled, or a percent out of range, is named.
    private async Task<CommandResult<BackfillOutcome>?> RampsAsync(
        Caller caller, List<HistoryInterface> chosen, IReadOnlyList<HistoryRampInput> ramps, Dictionary<(string, string), double> ramped, CancellationToken ct)
    {
        var links = (await store.ListLinksAsync(caller.Tenant, ct)).ToDictionary(l => l.Link, StringComparer.Ordinal);
        var filled = chosen.ToDictionary(i => (i.Device, i.Interface));
        foreach (var ramp in ramps)
        {
            if (ramp.Percent is <= 0 or > 100 || double.IsNaN(ramp.Percent))
            {
                return CommandResult.Fail<BackfillOutcome>(UserErrorCode.BadUserInput, $"ramps: percent {ramp.Percent} of link '{ramp.LinkId}' must be above 0 and at most 100", "input", "ramps");
            }

            if (!links.TryGetValue(ramp.LinkId, out var link) || !filled.TryGetValue((link.DeviceA, link.InterfaceA), out var a) || a.Peer is null)
            {
                return CommandResult.Fail<BackfillOutcome>(UserErrorCode.NotFound, $"ramps: link '{ramp.LinkId}' is not a link of the regions being filled", "input", "ramps");
            }

            var colon = a.Peer.LastIndexOf(':');
            ramped[(a.Device, a.Interface)] = ramp.Percent / 100;
            ramped[(a.Peer[..colon], a.Peer[(colon + 1)..])] = ramp.Percent / 100;
        }

        return null;
    }

    private async Task<bool> IsSimulatedAsync(string tenant, string region)
    {
        var id = new RegionId(tenant, region);
        var snapshot = await grains.GetGrain<IRegionGrain>(id.ToString()).GetSnapshotAsync();
        var controllers = snapshot.Controllers.IsDefault ? [] : snapshot.Controllers;
        var statuses = await Task.WhenAll(controllers.Select(c => grains.GetGrain<ILocalControllerGrain>(new ControllerId(id, c).ToString()).GetStatusAsync()));
        return statuses.Length > 0 && statuses.All(s => string.Equals(s.Driver, SimulatedDriver.DriverName, StringComparison.OrdinalIgnoreCase));
    }
}
