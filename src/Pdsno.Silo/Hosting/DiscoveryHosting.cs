using System.Collections.Immutable;
using Pdsno.Abstractions.Discovery;
using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Ids;
using Pdsno.Abstractions.Regions;
using Pdsno.Abstractions.Simulation;
using Pdsno.Discovery.Drivers;
using Pdsno.Discovery.Simulation;
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
        if (discovery.Interval < Abstractions.Policy.GlobalPolicy.MinimumInterval)
        {
            problems.Add($"Discovery:Interval is {discovery.Interval}; it must be at least {Abstractions.Policy.GlobalPolicy.MinimumInterval}");
        }

        if (discovery.MissedCyclesUntilInactive is < 1 or > 1000)
        {
            problems.Add($"Discovery:MissedCyclesUntilInactive is {discovery.MissedCyclesUntilInactive}; it must be between 1 and 1000");
        }

        if (discovery.ControllersPerRegion is < 1 or > 16)
        {
            problems.Add($"Discovery:ControllersPerRegion is {discovery.ControllersPerRegion}; it must be between 1 and 16");
        }

        var knownDrivers = new[] { SimulatedDriver.DriverName };
        if (!knownDrivers.Contains(discovery.Driver, StringComparer.OrdinalIgnoreCase))
        {
            problems.Add($"Discovery:Driver '{discovery.Driver}' is not a known driver; known: {string.Join(", ", knownDrivers)}");
        }

        problems.AddRange(simulation.Problems());
        if (problems.Count > 0)
        {
            throw new StartupException(string.Join(Environment.NewLine, problems));
        }

        if (simulation.Enabled)
        {
            // Throws naming the setting when the network described cannot be built (a bad import, say).
            PartsFrom(simulation);
        }

        builder.Services.AddSingleton(discovery);
        builder.Services.AddSingleton(simulation);
        builder.Services.AddSingleton<SimulatedDriver>();
        builder.Services.AddSingleton<IDeviceDriver>(sp => sp.GetRequiredService<SimulatedDriver>());
        builder.Services.AddSingleton<IDeviceDriverRegistry, DeviceDriverRegistry>();
        builder.Services.AddSingleton<SandboxService>();
        builder.Services.AddHostedService<DiscoveryBootstrapper>();
        return builder;
    }

    /// <summary>The simulated network parts the settings ask for; an import that fails stops the start naming the setting.</summary>
    public static ImmutableArray<SimulatedNetworkPart> PartsFrom(SimulationSettings settings, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var parts = ImmutableArray.CreateBuilder<SimulatedNetworkPart>();
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
                if (logger is not null)
                {
                    logger.LogInformation(
                        "Imported {Source} into region {Region}: {Nodes} devices, {Edges} links, {Skipped} notes",
                        name, settings.ImportRegion, import.Report.NodesImported, import.Report.EdgesImported, import.Report.Skipped.Length);
                    foreach (var note in import.Report.Skipped)
                    {
                        logger.LogInformation("Import of {Source}: {Note}", name, note);
                    }
                }
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

        return parts.ToImmutable();
    }
}

/// <summary>
/// After the silo has started, makes sure the configured simulated network exists and every region's
/// controllers are scheduled. Idempotent, so every silo of a cluster runs it.
/// </summary>
internal sealed class DiscoveryBootstrapper(
    IGrainFactory grains,
    SimulationSettings simulation,
    DiscoverySettings discovery,
    ILogger<DiscoveryBootstrapper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!simulation.Enabled)
        {
            return;
        }

        var parts = DiscoveryHosting.PartsFrom(simulation, logger);
        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await StartAsync(parts);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Starting discovery failed (attempt {Attempt}); retrying", attempt);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, attempt * 2)), stoppingToken);
            }
        }
    }

    private async Task StartAsync(ImmutableArray<SimulatedNetworkPart> parts)
    {
        var tenant = simulation.Tenant;
        var network = grains.GetGrain<ISimulatedNetworkGrain>(tenant);
        SimulatedNetworkDefinition definition = new(0, []);
        foreach (var part in parts)
        {
            definition = await network.PutPartAsync(part);
        }

        var policyGrain = grains.GetGrain<IGlobalPolicyGrain>(tenant);
        var policy = await policyGrain.GetPolicyAsync();
        if (policy.Version == 0)
        {
            policy = await policyGrain.SetPolicyAsync(discovery.Interval, discovery.MissedCyclesUntilInactive);
        }

        var model = SimulatedNetworkModel.Build(definition);
        var controllers = Enumerable.Range(1, discovery.ControllersPerRegion).Select(i => $"lc-{i}").ToImmutableArray();
        var setup = new RegionSetup(controllers, discovery.Driver, [.. discovery.Targets]);
        foreach (var region in model.Topology.Regions)
        {
            await grains.GetGrain<IRegionGrain>(new RegionId(tenant, region).ToString()).EnsureStartedAsync(setup);
        }

        logger.LogInformation(
            "Simulated network of tenant {Tenant}: {Devices} devices, {Links} links in {Regions} regions; discovery every {Interval}",
            tenant, model.Topology.Devices.Length, model.Topology.Links.Length, model.Topology.Regions.Length, policy.DiscoveryInterval);
    }
}
