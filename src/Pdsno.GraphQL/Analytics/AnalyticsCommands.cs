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
    /// last <paramref name="days"/> days with generated traffic, one sample every <paramref name="stepSeconds"/>.
    /// </summary>
    public async Task<CommandResult<BackfillOutcome>> BackfillAsync(Caller caller, string? region, int days, int stepSeconds, CancellationToken ct)
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

        var now = time.GetUtcNow();
        var until = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds() / stepSeconds * stepSeconds);
        var since = until - (step * count);
        var generators = chosen.ToDictionary(i => i, i => TrafficFlows.ForInterface(caller.Tenant, i.Device, i.Interface, i.Peer, since));
        var written = await store.ReplaceAsync(caller.Tenant, chosen, since, step, count, (i, k) =>
        {
            var (outbound, inbound) = generators[i];
            var at = since + (step * k);
            return new HistorySample(inbound.Sample(at, step) * i.SpeedBps, outbound.Sample(at, step) * i.SpeedBps);
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
            input.CongestionHorizonSeconds is { } s ? TimeSpan.FromSeconds(s) : current.CongestionHorizon);
        try
        {
            return CommandResult.Ok(await policy.SetAnalyticsPolicyAsync(rules));
        }
        catch (ArgumentException ex)
        {
            return CommandResult.Fail<GlobalPolicy>(UserErrorCode.BadUserInput, ex.Message, "input");
        }
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
