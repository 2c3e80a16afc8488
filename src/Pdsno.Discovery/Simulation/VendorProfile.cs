using System.Collections.Immutable;

namespace Pdsno.Discovery.Simulation;

/// <summary>How one vendor names its ports and which models and software it ships per role.</summary>
internal sealed class VendorProfile
{
    public const string Core = "core";
    public const string Distribution = "distribution";
    public const string Access = "access";

    public static readonly VendorProfile Cisco = new(
        "Cisco",
        "GigabitEthernet0",
        sharedPortCounter: false,
        (speed, n) => speed switch
        {
            PortSpeed.Gigabit => $"GigabitEthernet0/0/{n}",
            PortSpeed.TenGigabit => $"TenGigabitEthernet0/1/{n}",
            _ => $"HundredGigE0/2/{n}",
        },
        ("ASR-9906", "IOS XR 7.9.2"),
        ("C9500-48Y4C", "IOS XE 17.9.4a"),
        ("C9300-48P", "IOS XE 17.9.4a"));

    public static readonly VendorProfile Juniper = new(
        "Juniper",
        "fxp0",
        sharedPortCounter: false,
        (speed, n) => speed switch
        {
            PortSpeed.Gigabit => $"ge-0/0/{n}",
            PortSpeed.TenGigabit => $"xe-0/1/{n}",
            _ => $"et-0/2/{n}",
        },
        ("MX480", "Junos OS 22.4R3"),
        ("QFX5120-48Y", "Junos OS 22.4R3"),
        ("EX4300-48T", "Junos OS 21.4R3"));

    public static readonly VendorProfile Arista = new(
        "Arista",
        "Management1",
        sharedPortCounter: true,
        (_, n) => $"Ethernet{n + 1}",
        ("7280R3", "EOS 4.31.2F"),
        ("7050SX3-48YC8", "EOS 4.31.2F"),
        ("720XP-48ZC2", "EOS 4.30.5M"));

    public static readonly VendorProfile Nokia = new(
        "Nokia",
        "A/1",
        sharedPortCounter: true,
        (_, n) => $"1/1/{n + 1}",
        ("7750 SR-7", "SR OS 23.10.R1"),
        ("7250 IXR-e", "SR OS 23.10.R1"),
        ("7210 SAS-Mxp", "SR OS 22.10.R2"));

    // Weighted mixes as seen in a typical multi-vendor operator: router vendors dominate the core,
    // merchant-silicon switches the aggregation layer.
    private static readonly ImmutableArray<VendorProfile> CoreMix =
        [.. Repeat(Cisco, 7), .. Repeat(Juniper, 7), .. Repeat(Nokia, 4), .. Repeat(Arista, 2)];

    private static readonly ImmutableArray<VendorProfile> DistributionMix =
        [.. Repeat(Arista, 8), .. Repeat(Cisco, 7), .. Repeat(Juniper, 4), Nokia];

    private static readonly ImmutableArray<VendorProfile> AccessMix =
        [.. Repeat(Cisco, 9), .. Repeat(Arista, 6), .. Repeat(Juniper, 4), Nokia];

    private readonly Func<PortSpeed, int, string> _portName;
    private readonly (string Model, string Os) _core;
    private readonly (string Model, string Os) _distribution;
    private readonly (string Model, string Os) _access;

    private VendorProfile(
        string name,
        string managementInterface,
        bool sharedPortCounter,
        Func<PortSpeed, int, string> portName,
        (string Model, string Os) core,
        (string Model, string Os) distribution,
        (string Model, string Os) access)
    {
        Name = name;
        ManagementInterface = managementInterface;
        SharedPortCounter = sharedPortCounter;
        _portName = portName;
        _core = core;
        _distribution = distribution;
        _access = access;
    }

    public string Name { get; }

    public string ManagementInterface { get; }

    /// <summary>True when the vendor numbers ports in one sequence whatever their speed (Arista, Nokia).</summary>
    public bool SharedPortCounter { get; }

    /// <summary>Picks a vendor for a role; <paramref name="draw"/> is any non-negative number, e.g. a hash or PRNG output.</summary>
    public static VendorProfile Pick(string role, ulong draw)
    {
        var mix = role switch
        {
            Core => CoreMix,
            Distribution => DistributionMix,
            _ => AccessMix,
        };
        return mix[(int)(draw % (ulong)mix.Length)];
    }

    public static PortSpeed ClassOf(long speedBps) => speedBps switch
    {
        <= 1_000_000_000L => PortSpeed.Gigabit,
        <= 10_000_000_000L => PortSpeed.TenGigabit,
        _ => PortSpeed.HundredGigabit,
    };

    public string PortName(PortSpeed speed, int ordinal) => _portName(speed, ordinal);

    public (string Model, string Os) ModelFor(string role) => role switch
    {
        Core => _core,
        Distribution => _distribution,
        _ => _access,
    };

    private static VendorProfile[] Repeat(VendorProfile profile, int count) => Enumerable.Repeat(profile, count).ToArray();
}

/// <summary>Port speed classes that decide a port's name.</summary>
internal enum PortSpeed
{
    Gigabit,
    TenGigabit,
    HundredGigabit,
}
