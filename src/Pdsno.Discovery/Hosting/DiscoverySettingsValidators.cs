using Microsoft.Extensions.Options;
using Pdsno.Abstractions.Ids;
using Pdsno.Abstractions.Policy;
using Pdsno.Abstractions.Simulation;
using Pdsno.Discovery.Drivers;
using Pdsno.Discovery.Snmp.Discovery;

namespace Pdsno.Discovery.Hosting;

/// <summary>Checks the <c>Discovery</c> section (and <c>Discovery:Snmp</c> when the snmp driver is chosen); every failure names its key.</summary>
public sealed class DiscoverySettingsValidator(IOptions<SnmpDriverOptions> snmpOptions) : IValidateOptions<DiscoverySettings>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, DiscoverySettings options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        if (options.Interval < GlobalPolicy.ShortestInterval)
        {
            problems.Add($"Discovery:Interval is {options.Interval}; it must be at least {GlobalPolicy.ShortestInterval}");
        }

        if (options.MissedCyclesUntilInactive is < 1 or > 1000)
        {
            problems.Add($"Discovery:MissedCyclesUntilInactive is {options.MissedCyclesUntilInactive}; it must be between 1 and 1000");
        }

        if (options.ControllersPerRegion is < 1 or > 16)
        {
            problems.Add($"Discovery:ControllersPerRegion is {options.ControllersPerRegion}; it must be between 1 and 16");
        }

        var knownDrivers = new[] { SimulatedDriver.DriverName, SnmpDriver.DriverName };
        if (!knownDrivers.Contains(options.Driver, StringComparer.OrdinalIgnoreCase))
        {
            problems.Add($"Discovery:Driver '{options.Driver}' is not a known driver; known: {string.Join(", ", knownDrivers)}");
        }

        if (string.Equals(options.Driver, SnmpDriver.DriverName, StringComparison.OrdinalIgnoreCase))
        {
            var snmp = snmpOptions.Value;
            problems.AddRange(snmp.Problems());
            var targets = ScanTargets.Expand(options.Targets, snmp.Port, Math.Max(1, snmp.MaxAddressesPerController));
            problems.AddRange(targets.Problems.Select(p => $"Discovery:Targets: {p}"));
            if (options.Targets.Count == 0)
            {
                problems.Add("Discovery:Targets is empty; the snmp driver scans only the addresses and ranges listed there");
            }
        }

        problems.AddRange(DiscoveryRegions.From(options).Names.Select(r => KeyPart.Problem(r, "Discovery:Regions")).OfType<string>());
        return problems.Count > 0 ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }
}

/// <summary>Checks the <c>Simulation</c> section, including that an import can be read and built; every failure names its key.</summary>
public sealed class SimulationSettingsValidator : IValidateOptions<SimulationSettings>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SimulationSettings options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Problems().ToList();
        if (problems.Count == 0 && options.Enabled)
        {
            try
            {
                SimulationPlan.From(options);
            }
            catch (ArgumentException ex)
            {
                problems.Add(ex.Message);
            }
        }

        return problems.Count > 0 ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }
}

/// <summary>Checks <c>Simulation:Limits</c>; the failure names the key.</summary>
public sealed class SimulationLimitsValidator : IValidateOptions<SimulationLimits>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SimulationLimits options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
