using Pdsno.Abstractions.Devices;

namespace Pdsno.Grains.Projection;

/// <summary>How grain values are spelled in the read model: upper-case enum names, as the API shows them.</summary>
internal static class ReadModel
{
    public static string Status(DeviceStatus status) => status.ToString().ToUpperInvariant();

    public static string Status(LinkStatus status) => status.ToString().ToUpperInvariant();

    public static string Status(OperStatus status) => status.ToString().ToUpperInvariant();

    public static string Status(AdminStatus status) => status.ToString().ToUpperInvariant();

    public static InterfaceRow Interface(InterfaceState i) =>
        new(i.Name, i.Index, i.Mac, i.SpeedBps, Status(i.Admin), Status(i.Oper));
}
