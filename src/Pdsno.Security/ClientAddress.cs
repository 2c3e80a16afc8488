using System.Net;
using System.Net.Sockets;

namespace Pdsno.Security;

/// <summary>Who counts as one client for the per-address limits, and how trusted proxies are written.</summary>
public static class ClientAddress
{
    /// <summary>
    /// The key a client address is limited under. An IPv6 client is one /64: a single host usually holds a whole /64
    /// and can pick a fresh address from it for every request, so per-address limits keyed by the full address would
    /// hold nobody. IPv4-mapped IPv6 addresses count as their IPv4 address.
    /// </summary>
    public static string PartitionOf(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes).ToString() + "/64";
    }

    /// <summary>Parses a trusted proxy, a plain address (a range of one) or a CIDR range; false when it is neither.</summary>
    public static bool TryParseProxy(string? text, out IPNetwork network)
    {
        network = default;
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return false;
        }

        if (!trimmed.Contains('/', StringComparison.Ordinal))
        {
            if (!IPAddress.TryParse(trimmed, out var single))
            {
                return false;
            }

            network = new IPNetwork(single, single.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32);
            return true;
        }

        // A range with bits set after the prefix ("10.1.2.3/8") is refused, not rounded down: it is usually a typing
        // mistake, and the start-up error names it.
        return IPNetwork.TryParse(trimmed, out network)
            && IPAddress.TryParse(trimmed.AsSpan(0, trimmed.IndexOf('/', StringComparison.Ordinal)), out var written)
            && written.Equals(network.BaseAddress);
    }
}
