using Pdsno.Abstractions.Ids;

namespace Pdsno.Silo.Hosting;

/// <summary>Orleans cluster settings (section <c>Orleans</c>).</summary>
public sealed class OrleansSettings
{
    /// <summary>Silo-to-silo port; every silo on one machine needs its own.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Client gateway port; 0 (the default) opens no gateway. Every silo on one machine needs its own.</summary>
    public int GatewayPort { get; set; }

    /// <summary>The address other silos reach this one at.</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>Silos with the same cluster id form one cluster.</summary>
    public string ClusterId { get; set; } = "pdsno";

    /// <summary>Names the stored grain state and reminders; never change it for an existing database.</summary>
    public string ServiceId { get; set; } = "pdsno";

    /// <summary>The memory stream pull period: the floor of event delivery latency.</summary>
    public TimeSpan StreamPullPeriod { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>The cluster certificate of silo and gateway connections.</summary>
    public TlsSettings Tls { get; set; } = new();
}

/// <summary>The cluster certificate (section <c>Orleans:Tls</c>); without one, a generated one kept in the database is used.</summary>
public sealed class TlsSettings
{
    /// <summary>A PKCS#12 file (with <see cref="CertificatePassword"/>) or a PEM certificate (with <see cref="KeyPath"/>).</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PKCS#12 file's password.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>The PEM private key of a PEM certificate.</summary>
    public string? KeyPath { get; set; }
}

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
