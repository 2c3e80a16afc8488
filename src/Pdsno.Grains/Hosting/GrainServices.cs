using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Pdsno.Abstractions.Config;
using Pdsno.Grains.Config;
using Pdsno.Grains.Devices;
using Pdsno.Grains.History;
using Pdsno.Grains.Security;

namespace Pdsno.Grains.Hosting;

/// <summary>
/// Registers what the grains need besides the contracts a store implements (<see cref="Projection.IProjectionWriter"/>,
/// <see cref="IApiTokenStore"/>, <see cref="ITokenKeyring"/>, <c>IAuditTrail</c>): their settings, checked at start, and
/// the token issuer.
/// </summary>
public static class GrainServices
{
    /// <summary>
    /// Binds and validates <c>Telemetry</c> and <c>ConfigDrivers</c> (a bad setting stops the start naming its key) and
    /// registers the token issuer and the config-driver registry (over every registered <see cref="IConfigDriver"/>).
    /// </summary>
    public static IServiceCollection AddPdsnoGrains(this IServiceCollection services)
    {
        services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TelemetryOptions>, TelemetryOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TokenIssuer>();
        services.TryAddSingleton<IHistoryRecorder, DiscardedHistory>();
        services.AddOptions<ConfigDriverOptions>().BindConfiguration(ConfigDriverOptions.Section)
            .PostConfigure<IServiceProvider>((o, sp) => o.Driver ??= DefaultConfigDriver(sp.GetService<IConfiguration>()?["Discovery:Driver"]))
            .Validate(o => !string.IsNullOrWhiteSpace(o.Driver), "ConfigDrivers:Driver is empty; name a config driver (simulated, ssh) or leave it out")
            .ValidateOnStart();
        services.TryAddSingleton<IConfigDriverRegistry, ConfigDriverRegistry>();
        return services;
    }

    // Simulated devices are configured by the simulated driver; real ones discovered over SNMP by SSH.
    private static string DefaultConfigDriver(string? discoveryDriver) =>
        string.Equals(discoveryDriver, "snmp", StringComparison.OrdinalIgnoreCase) ? "ssh" : "simulated";
}

/// <summary>Checks the <c>Telemetry</c> section.</summary>
public sealed class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.IsValid
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Telemetry:ThresholdPercent is {options.ThresholdPercent} and Telemetry:HysteresisPercent is {options.HysteresisPercent}; the threshold must be in (0, 100] and the hysteresis in [0, threshold)");
    }
}
