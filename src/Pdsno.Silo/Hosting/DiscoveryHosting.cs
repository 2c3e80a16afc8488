using System.Collections.Immutable;
using Pdsno.Abstractions.Discovery;
using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Ids;
using Pdsno.Abstractions.Regions;
using Pdsno.Abstractions.Security;
using Pdsno.Abstractions.Simulation;
using Pdsno.Discovery.Drivers;
using Pdsno.Discovery.Simulation;
using Pdsno.Discovery.Snmp.Discovery;
using Pdsno.Silo.Sandbox;

namespace Pdsno.Silo.Hosting;

/// <summary>Drivers, the simulated network and the start-up of every region's discovery.</summary>
public static class DiscoveryHosting
{
    /// <summary>Registers drivers and the bootstrapper; checks the <c>Discovery</c> and <c>Simulation</c> sections.</summary>
    public static WebApplicationBuilder AddPdsnoDiscovery(this WebApplicationBuilder builder)
    {
        var discovery = builder.Configuration.GetSection("Discovery").Get<DiscoverySettings>() ?? new DiscoverySettings();
        var simulation = builder.Configuration.GetSection("Simulation").Get<SimulationSettings>() ?? new SimulationSettings();
        var problems = new List<string>();
        if (discovery.Interval < Abstractions.Policy.GlobalPolicy.ShortestInterval)
        {
            problems.Add($"Discovery:Interval is {discovery.Interval}; it must be at least {Abstractions.Policy.GlobalPolicy.ShortestInterval}");
        }

        if (discovery.MissedCyclesUntilInactive is < 1 or > 1000)
        {
            problems.Add($"Discovery:MissedCyclesUntilInactive is {discovery.MissedCyclesUntilInactive}; it must be between 1 and 1000");
        }

        if (discovery.ControllersPerRegion is < 1 or > 16)
        {
            problems.Add($"Discovery:ControllersPerRegion is {discovery.ControllersPerRegion}; it must be between 1 and 16");
        }

        var knownDrivers = new[] { SimulatedDriver.DriverName, SnmpDriver.DriverName };
        if (!knownDrivers.Contains(discovery.Driver, StringComparer.OrdinalIgnoreCase))
        {
            problems.Add($"Discovery:Driver '{discovery.Driver}' is not a known driver; known: {string.Join(", ", knownDrivers)}");
        }

        var snmp = builder.Configuration.GetSection(SnmpDriverOptions.Section).Get<SnmpDriverOptions>() ?? new SnmpDriverOptions();
        if (string.Equals(discovery.Driver, SnmpDriver.DriverName, StringComparison.OrdinalIgnoreCase))
        {
            problems.AddRange(snmp.Problems());
            var targets = ScanTargets.Expand(discovery.Targets, snmp.Port, Math.Max(1, snmp.MaxAddressesPerController));
            problems.AddRange(targets.Problems.Select(p => $"Discovery:Targets: {p}"));
            if (discovery.Targets.Count == 0)
            {
                problems.Add("Discovery:Targets is empty; the snmp driver scans only the addresses and ranges listed there");
            }
        }

        // Without a simulated network, the regions to run come from configuration (see DiscoveryRegions).
        var regions = new DiscoveryRegions(builder.Configuration.GetSection("Discovery:Regions").Get<List<string>>() is { Count: > 0 } named
            ? [.. named]
            : [DiscoveryRegions.DefaultRegion]);
        foreach (var region in regions.Names)
        {
            try
            {
                KeyPart.Validate(region, "Discovery:Regions");
            }
            catch (ArgumentException ex)
            {
                problems.Add(ex.Message);
            }
        }

        problems.AddRange(simulation.Problems());
        if (problems.Count > 0)
        {
            throw new StartupException(string.Join(Environment.NewLine, problems));
        }

        // Parsed and checked once, here: throws naming the setting when the network cannot be built (a bad import, say).
        builder.Services.AddSingleton(simulation.Enabled ? PlanFrom(simulation) : new SimulationPlan([], []));

        builder.Services.AddSingleton(discovery);
        builder.Services.AddSingleton(simulation);
        builder.Services.AddSingleton<SimulatedDriver>();
        builder.Services.AddSingleton<IDeviceDriver>(sp => sp.GetRequiredService<SimulatedDriver>());
        builder.Services.AddOptions<SnmpDriverOptions>().BindConfiguration(SnmpDriverOptions.Section);
        builder.Services.AddSingleton<SnmpDriver>();
        builder.Services.AddSingleton<IDeviceDriver>(sp => sp.GetRequiredService<SnmpDriver>());
        builder.Services.AddSingleton(regions);
        builder.Services.AddSingleton<IDeviceDriverRegistry, DeviceDriverRegistry>();
        builder.Services.AddSingleton<SandboxService>();
        builder.Services.AddHostedService<DiscoveryBootstrapper>();
        var telemetry = builder.Configuration.GetSection(Grains.Devices.TelemetryOptions.Section).Get<Grains.Devices.TelemetryOptions>() ?? new Grains.Devices.TelemetryOptions();
        if (!telemetry.IsValid)
        {
            throw new StartupException($"Telemetry:ThresholdPercent is {telemetry.ThresholdPercent} and Telemetry:HysteresisPercent is {telemetry.HysteresisPercent}; the threshold must be in (0, 100] and the hysteresis in [0, threshold)");
        }

        builder.Services.AddOptions<Grains.Devices.TelemetryOptions>().BindConfiguration(Grains.Devices.TelemetryOptions.Section);
        var limits = builder.Configuration.GetSection(SimulationLimits.Section).Get<SimulationLimits>() ?? new SimulationLimits();
        if (limits.Problem() is { } limitProblem)
        {
            throw new StartupException(limitProblem);
        }

        builder.Services.AddOptions<SimulationLimits>().BindConfiguration(SimulationLimits.Section);
        return builder;
    }

    /// <summary>The simulated network parts the settings ask for; an import that fails stops the start naming the setting.</summary>
    public static SimulationPlan PlanFrom(SimulationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var parts = ImmutableArray.CreateBuilder<SimulatedNetworkPart>();
        var notes = ImmutableArray.CreateBuilder<string>();
        if (settings.Devices > 0)
        {
            parts.Add(SimulatedNetworkPart.Generated("default", settings.Seed, settings.Devices, settings.Regions));
        }

        if (!string.IsNullOrWhiteSpace(settings.Import))
        {
            string text;
            string name;
            if (ShippedTopologies.Names.Contains(settings.Import, StringComparer.OrdinalIgnoreCase))
            {
                name = ShippedTopologies.Names.First(n => string.Equals(n, settings.Import, StringComparison.OrdinalIgnoreCase));
                text = ShippedTopologies.Load(name);
            }
            else if (File.Exists(settings.Import))
            {
                name = Path.GetFileNameWithoutExtension(settings.Import);
                text = File.ReadAllText(settings.Import);
            }
            else
            {
                throw new StartupException($"Simulation:Import '{settings.Import}' is neither a shipped topology ({string.Join(", ", ShippedTopologies.Names)}) nor a readable file");
            }

            try
            {
                KeyPart.Validate(settings.ImportRegion, "Simulation:ImportRegion");
                var import = TopologyZooImporter.Import(text, settings.ImportRegion, name);
                notes.Add($"imported {name} into region {settings.ImportRegion}: {import.Report.NodesImported} devices, {import.Report.EdgesImported} links");
                notes.AddRange(import.Report.Skipped.Select(n => $"import of {name}: {n}"));
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException)
            {
                throw new StartupException($"Simulation:Import '{settings.Import}' cannot be imported: {ex.Message}", ex);
            }

            parts.Add(SimulatedNetworkPart.Imported(name, text, settings.ImportRegion));
        }

        try
        {
            SimulatedNetworkModel.Build(new SimulatedNetworkDefinition(0, parts.ToImmutable()));
        }
        catch (ArgumentException ex)
        {
            throw new StartupException($"The Simulation settings describe no valid network: {ex.Message}", ex);
        }

        return new SimulationPlan(parts.ToImmutable(), notes.ToImmutable());
    }
}

/// <summary>The simulated network the settings describe, checked at start, and what its import reported.</summary>
public sealed record SimulationPlan(ImmutableArray<SimulatedNetworkPart> Parts, ImmutableArray<string> ImportNotes);

/// <summary>
/// The regions of tenant <c>Simulation:Tenant</c> whose controllers start when no simulated network is configured
/// (<c>Simulation:Enabled=false</c>) and a real driver such as <c>snmp</c> runs: <c>Discovery:Regions</c>, a list of
/// region names, default <c>["default"]</c>. Every region's controllers scan all of <c>Discovery:Targets</c>, so one
/// region per silo configuration is the usual case.
/// </summary>
public sealed record DiscoveryRegions(ImmutableArray<string> Names)
{
    /// <summary>The region used when <c>Discovery:Regions</c> names none.</summary>
    public const string DefaultRegion = "default";
}

/// <summary>
/// After the silo has started, makes sure the configured simulated network exists and every region's
/// controllers are scheduled. Idempotent, so every silo of a cluster runs it.
/// </summary>
internal sealed class DiscoveryBootstrapper(
    IGrainFactory grains,
    SimulatedDriver simulatedDriver,
    SimulationPlan plan,
    SimulationSettings simulation,
    DiscoverySettings discovery,
    DiscoveryRegions regions,
    ILogger<DiscoveryBootstrapper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Setting up the configured regions is PDSNO's own doing, not any token's.
        using var system = CallerContext.AsSystem();

        // Without a simulated network only a real driver has anything to discover.
        if (!simulation.Enabled && string.Equals(discovery.Driver, SimulatedDriver.DriverName, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        foreach (var note in plan.ImportNotes)
        {
            logger.LogInformation("Simulated network: {Note}", note);
        }

        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                if (simulation.Enabled)
                {
                    await StartAsync(plan.Parts);
                }
                else
                {
                    await StartConfiguredRegionsAsync();
                }

                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Starting discovery failed (attempt {Attempt}); retrying", attempt);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, attempt * 2)), stoppingToken);
            }
        }
    }

    private async Task StartConfiguredRegionsAsync()
    {
        var tenant = simulation.Tenant;
        var policy = await EnsurePolicyAsync(tenant);
        var setup = Setup();
        foreach (var region in regions.Names)
        {
            await grains.GetGrain<IRegionGrain>(new RegionId(tenant, region).ToString()).EnsureStartedAsync(setup);
        }

        logger.LogInformation(
            "Discovery of tenant {Tenant} with driver {Driver} in regions {Regions} over {Targets} targets; every {Interval}",
            tenant, discovery.Driver, string.Join(", ", regions.Names), discovery.Targets.Count, policy.DiscoveryInterval);
    }

    private async Task<Abstractions.Policy.GlobalPolicy> EnsurePolicyAsync(string tenant)
    {
        var policyGrain = grains.GetGrain<IGlobalPolicyGrain>(tenant);
        var policy = await policyGrain.GetPolicyAsync();
        if (policy.Version == 0)
        {
            policy = await policyGrain.SetPolicyAsync(discovery.Interval, discovery.MissedCyclesUntilInactive);
        }

        return policy;
    }

    private RegionSetup Setup() =>
        new([.. Enumerable.Range(1, discovery.ControllersPerRegion).Select(i => $"lc-{i}")], discovery.Driver, [.. discovery.Targets]);

    private async Task StartAsync(ImmutableArray<SimulatedNetworkPart> parts)
    {
        var tenant = simulation.Tenant;
        var network = grains.GetGrain<ISimulatedNetworkGrain>(tenant);
        foreach (var part in parts)
        {
            await network.PutPartAsync(part);
        }

        var policy = await EnsurePolicyAsync(tenant);
        // The driver's model of the stored definition (which may hold imports made through the API), built once per silo.
        var (model, _) = await simulatedDriver.ModelAsync(tenant);
        var setup = Setup();
        foreach (var region in model.Regions)
        {
            await grains.GetGrain<IRegionGrain>(new RegionId(tenant, region).ToString()).EnsureStartedAsync(setup);
        }

        logger.LogInformation(
            "Simulated network of tenant {Tenant}: {Devices} devices, {Links} links in {Regions} regions; discovery every {Interval}",
            tenant, model.Devices.Length, model.Parts.Sum(p => p.Links.Length), model.Regions.Length, policy.DiscoveryInterval);
    }
}
