namespace Pdsno.Discovery.Simulation;

/// <summary>Accumulates a device's interfaces as links are wired, naming ports the way its vendor does.</summary>
internal sealed class DeviceBuilder
{
    private readonly AddressPlan _addresses;
    private readonly List<SimInterface> _interfaces;
    private readonly int[] _nextPort = new int[3];

    public DeviceBuilder(
        string name, string region, string role, VendorProfile vendor, string chassisId, string managementAddress,
        AddressPlan addresses, double? latitude, double? longitude)
    {
        Name = name;
        Region = region;
        Role = role;
        Vendor = vendor;
        ChassisId = chassisId;
        ManagementAddress = managementAddress;
        Latitude = latitude;
        Longitude = longitude;
        _addresses = addresses;
        _interfaces = new List<SimInterface>(12)
        {
            new(1, vendor.ManagementInterface, addresses.NextInterfaceMac(), 1_000_000_000L),
        };
    }

    public string Name { get; }

    public string Region { get; }

    public string Role { get; }

    public VendorProfile Vendor { get; }

    public string ChassisId { get; }

    public string ManagementAddress { get; }

    public double? Latitude { get; }

    public double? Longitude { get; }

    public int LinkPortCount { get; private set; }

    /// <summary>Allocates the next free port able to carry <paramref name="speedBps"/> and returns its name.</summary>
    public string AddPort(long speedBps)
    {
        var speed = VendorProfile.ClassOf(speedBps);
        var counter = Vendor.SharedPortCounter ? 0 : (int)speed;
        var name = Vendor.PortName(speed, _nextPort[counter]++);
        _interfaces.Add(new SimInterface(_interfaces.Count + 1, name, _addresses.NextInterfaceMac(), speedBps));
        return name;
    }

    public string AddLinkPort(long speedBps)
    {
        LinkPortCount++;
        return AddPort(speedBps);
    }

    public SimDevice Build()
    {
        var (model, os) = Vendor.ModelFor(Role);
        return new SimDevice(
            Name, Region, ChassisId, Vendor.Name, model, os, ManagementAddress, Role,
            [.. _interfaces], Latitude, Longitude);
    }
}
