using Pdsno.Abstractions.Ids;

namespace Pdsno.Discovery.Hosting;

/// <summary>Discovery settings (section <c>Discovery</c>).</summary>
public sealed class DiscoverySettings
{
    /// <summary>The driver local controllers run.</summary>
    public string Driver { get; set; } = "simulated";

    /// <summary>The interval of the first policy version of a new tenant; later versions come from the global policy.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Consecutive missed cycles until a device is INACTIVE, for the first policy version.</summary>
    public int MissedCyclesUntilInactive { get; set; } = 3;

    /// <summary>Local controllers per region; more than one sees the same devices and proves de-duplication.</summary>
    public int ControllersPerRegion { get; set; } = 1;

    /// <summary>Driver-specific scan targets.</summary>
    public List<string> Targets { get; set; } = [];

    /// <summary>
    /// The regions whose controllers start when no network is simulated (see <see cref="DiscoveryRegions"/>); none
    /// means <see cref="DiscoveryRegions.DefaultRegion"/>.
    /// </summary>
    public List<string> Regions { get; set; } = [];
}

/// <summary>The simulated network the silo starts with (section <c>Simulation</c>).</summary>
public sealed class SimulationSettings
{
    /// <summary>When false, nothing is simulated at start.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The tenant that owns the simulated network.</summary>
    public string Tenant { get; set; } = "default";

    /// <summary>Seed of the generated network.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>Devices of the generated network; 0 to generate none.</summary>
    public int Devices { get; set; } = 60;

    /// <summary>Regions of the generated network.</summary>
    public int Regions { get; set; } = 3;

    /// <summary>A shipped topology name (e.g. <c>Abilene</c>) or a GML file path to import besides the generated network.</summary>
    public string? Import { get; set; }

    /// <summary>The region the imported topology goes into.</summary>
    public string ImportRegion { get; set; } = "imported";

    /// <summary>Lists what is wrong, naming each setting by its configuration key.</summary>
    public IEnumerable<string> Problems()
    {
        if (!Enabled)
        {
            yield break;
        }

        string? tenantProblem = null;
        try
        {
            KeyPart.Validate(Tenant, "Simulation:Tenant");
        }
        catch (ArgumentException ex)
        {
            tenantProblem = ex.Message;
        }

        if (tenantProblem is not null)
        {
            yield return tenantProblem;
        }

        if (Devices < 0 || Devices > 200_000)
        {
            yield return $"Simulation:Devices is {Devices}; it must be between 0 and 200000";
        }

        if (Devices > 0 && (Regions < 1 || Regions > Devices))
        {
            yield return $"Simulation:Regions is {Regions}; it must be between 1 and Simulation:Devices ({Devices})";
        }

        if (Devices == 0 && string.IsNullOrWhiteSpace(Import))
        {
            yield return "Simulation:Devices is 0 and Simulation:Import is empty: the simulated network would be empty (set Simulation:Enabled=false instead)";
        }
    }
}
