using System.Globalization;
using System.Net;
using System.Text;

namespace Pdsno.Discovery.Snmp.Discovery;

/// <summary>
/// Text forms of LLDP chassis and port ids. The local and the remote table go through the same formatting, so a
/// device's own chassis id and the one its neighbours report give the same device key.
/// </summary>
public static class LldpIds
{
    /// <summary>LldpChassisIdSubtype macAddress.</summary>
    public const int ChassisMac = 4;

    /// <summary>LldpChassisIdSubtype networkAddress.</summary>
    public const int ChassisNetworkAddress = 5;

    /// <summary>LldpChassisIdSubtype local.</summary>
    public const int ChassisLocal = 7;

    /// <summary>LldpPortIdSubtype macAddress.</summary>
    public const int PortMac = 3;

    /// <summary>LldpPortIdSubtype networkAddress.</summary>
    public const int PortNetworkAddress = 4;

    /// <summary>LldpPortIdSubtype interfaceName.</summary>
    public const int PortInterfaceName = 5;

    /// <summary>LldpPortIdSubtype local.</summary>
    public const int PortLocal = 7;

    /// <summary>A chassis id: MACs as aa:bb:cc:dd:ee:ff, network addresses as the address, others as text (hex when binary).</summary>
    public static string Chassis(int subtype, ReadOnlySpan<byte> id) => subtype switch
    {
        ChassisMac => Mac(id),
        ChassisNetworkAddress => NetworkAddress(id),
        _ => Text(id),
    };

    /// <summary>A port id in the same manner.</summary>
    public static string Port(int subtype, ReadOnlySpan<byte> id) => subtype switch
    {
        PortMac => Mac(id),
        PortNetworkAddress => NetworkAddress(id),
        _ => Text(id),
    };

    /// <summary>Bytes as lower-case colon-separated hex, how MAC addresses are written throughout PDSNO.</summary>
    public static string Mac(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(bytes.Length * 3);
        foreach (var b in bytes)
        {
            if (text.Length > 0)
            {
                text.Append(':');
            }

            text.Append(b.ToString("x2", CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    /// <summary>Printable text as is; anything binary as hex.</summary>
    public static string Text(ReadOnlySpan<byte> bytes)
    {
        var trimmed = bytes.TrimEnd((byte)0);
        foreach (var b in trimmed)
        {
            if (b < 0x20 || b == 0x7f)
            {
                return Mac(bytes);
            }
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(trimmed);
        }
        catch (DecoderFallbackException)
        {
            return Mac(bytes);
        }
    }

    /// <summary>True when text reads like an interface name (<c>eth1</c>, <c>Gi0/1</c>) rather than a description.</summary>
    public static bool LooksLikeInterfaceName(string? text) =>
        !string.IsNullOrWhiteSpace(text) && text.Length <= 64 && !text.Any(char.IsWhiteSpace);

    // An IANA address family octet followed by the address (RFC 2922 / LLDP-MIB networkAddress).
    private static string NetworkAddress(ReadOnlySpan<byte> id)
    {
        if (id.Length == 5 && id[0] == 1)
        {
            return new IPAddress(id[1..]).ToString();
        }

        if (id.Length == 17 && id[0] == 2)
        {
            return new IPAddress(id[1..]).ToString();
        }

        return Mac(id);
    }
}
