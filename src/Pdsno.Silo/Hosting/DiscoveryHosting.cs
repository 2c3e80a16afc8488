using System.Collections.Immutable;
using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Ids;
using Pdsno.Abstractions.Regions;
using Pdsno.Abstractions.Security;
using Pdsno.Abstractions.Simulation;
using Pdsno.Discovery.Drivers;
using Pdsno.Discovery.Hosting;

namespace Pdsno.Silo.Hosting;

/// <summary>Drivers, the simulated network and the start-up of every region's discovery.</summary>
public static class DiscoveryHosting
{
    /// <summary>
    /// Registers the discovery and config drivers and their settings (checked at start by the Discovery project, see
    /// <see cref="DiscoveryServices.AddPdsnoDiscoveryDrivers"/> and <see cref="SshConfigDriverServices.AddSshConfigDriver"/>)
    /// and the bootstrapper.
    /// </summary>
    public static WebApplicationBuilder AddPdsnoDiscovery(this WebApplicationBuilder builder)
    {
        builder.Services.AddPdsnoDiscoveryDrivers();
        builder.Services.AddSshConfigDriver(builder.Configuration);
        builder.Services.AddHostedService<DiscoveryBootstrapper>();
        return builder;
    }
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
