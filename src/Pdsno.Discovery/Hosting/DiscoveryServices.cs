using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Pdsno.Abstractions.Config;
using Pdsno.Abstractions.Discovery;
using Pdsno.Abstractions.Simulation;
using Pdsno.Discovery.Drivers;
using Pdsno.Discovery.Snmp.Discovery;

namespace Pdsno.Discovery.Hosting;

/// <summary>Registers discovery: its settings, checked at start, and the drivers local controllers run.</summary>
public static class DiscoveryServices
{
    /// <summary>
    /// Binds and validates <c>Discovery</c>, <c>Discovery:Snmp</c> and <c>Simulation</c> (a bad setting stops the start
    /// naming its key) and registers the simulated and snmp drivers with their registry, and the simulated config driver.
    /// </summary>
    public static IServiceCollection AddPdsnoDiscoveryDrivers(this IServiceCollection services)
    {
        services.AddOptions<DiscoverySettings>().BindConfiguration("Discovery").ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DiscoverySettings>, DiscoverySettingsValidator>());
        services.AddOptions<SimulationSettings>().BindConfiguration("Simulation").ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SimulationSettings>, SimulationSettingsValidator>());
        services.AddOptions<SnmpDriverOptions>().BindConfiguration(SnmpDriverOptions.Section);
        services.AddOptions<SimulationLimits>().BindConfiguration(SimulationLimits.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SimulationLimits>, SimulationLimitsValidator>());

        // Their users take the values; reading them runs the checks above.
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<DiscoverySettings>>().Value);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<SimulationSettings>>().Value);
        services.AddSingleton(sp => DiscoveryRegions.From(sp.GetRequiredService<DiscoverySettings>()));
        services.AddSingleton(sp => sp.GetRequiredService<SimulationSettings>() is { Enabled: true } simulation ? SimulationPlan.From(simulation) : SimulationPlan.None);

        services.AddSingleton<SimulatedDriver>();
        services.AddSingleton<IDeviceDriver>(sp => sp.GetRequiredService<SimulatedDriver>());
        services.AddSingleton<SnmpDriver>();
        services.AddSingleton<IDeviceDriver>(sp => sp.GetRequiredService<SnmpDriver>());
        services.AddSingleton<IDeviceDriverRegistry, DeviceDriverRegistry>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigDriver, SimulatedConfigDriver>());
        return services;
    }
}
