using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Pdsno.Discovery.Snmp.Discovery;

/// <summary>The agents a controller's scan targets expand to, and the entries that could not be used.</summary>
/// <param name="EndPoints">Distinct agent endpoints, in the order the targets name them.</param>
/// <param name="Problems">One message per unusable entry, and one when the address cap cut the list short.</param>
public sealed record ScanTargets(IReadOnlyList<IPEndPoint> EndPoints, IReadOnlyList<string> Problems)
{
    /// <summary>
    /// Expands targets written as <c>a.b.c.d</c>, <c>a.b.c.d/nn</c> (CIDR), <c>a.b.c.d-e</c> or
    /// <c>a.b.c.d-w.x.y.z</c> (ranges), each optionally followed by <c>:port</c>; at most <paramref name="maxAddresses"/>.
    /// </summary>
    public static ScanTargets Expand(IEnumerable<string?> targets, int defaultPort, int maxAddresses)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var endPoints = new List<IPEndPoint>();
        var seen = new HashSet<IPEndPoint>();
        var problems = new List<string>();
        var capped = false;
        foreach (var entry in targets)
        {
            if (!TryParse(entry, defaultPort, out var first, out var count, out var port, out var problem))
            {
                problems.Add(problem);
                continue;
            }

            for (ulong i = 0; i < count; i++)
            {
                if (endPoints.Count >= maxAddresses)
                {
                    capped = true;
                    break;
                }

                var endPoint = new IPEndPoint(ToAddress((uint)(first + i)), port);
                if (seen.Add(endPoint))
                {
                    endPoints.Add(endPoint);
                }
            }
        }

        if (capped)
        {
            problems.Add($"The targets expand to more than {maxAddresses} addresses; only the first {maxAddresses} are scanned");
        }

        return new ScanTargets(endPoints, problems);
    }

    private static bool TryParse(string? entry, int defaultPort, out uint first, out ulong count, out int port, out string problem)
    {
        first = 0;
        count = 0;
        port = defaultPort;
        var text = (entry ?? "").Trim();
        problem = "";
        if (text.Length == 0)
        {
            problem = "An empty scan target was ignored";
            return false;
        }

        var body = text;
        var colon = text.LastIndexOf(':');
        if (colon >= 0)
        {
            if (text.IndexOf(':', StringComparison.Ordinal) != colon)
            {
                problem = $"Scan target '{text}' is not IPv4; only IPv4 addresses and ranges are scanned";
                return false;
            }

            if (!int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
            {
                problem = $"Scan target '{text}' has a port that is not between 1 and 65535";
                return false;
            }

            body = text[..colon];
        }

        var slash = body.IndexOf('/', StringComparison.Ordinal);
        var dash = body.IndexOf('-', StringComparison.Ordinal);
        if (slash >= 0)
        {
            if (!TryAddress(body[..slash], out var network)
                || !int.TryParse(body.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var prefix)
                || prefix is < 0 or > 32)
            {
                problem = $"Scan target '{text}' is not a valid IPv4 CIDR range (a.b.c.d/0-32)";
                return false;
            }

            var mask = prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
            first = network & mask;
            count = 1UL << (32 - prefix);

            // The network and broadcast addresses of a subnet are not hosts; /31 and /32 have no such addresses.
            if (prefix <= 30)
            {
                first++;
                count -= 2;
            }

            return true;
        }

        if (dash >= 0)
        {
            var from = body[..dash];
            var to = body[(dash + 1)..];
            if (!TryAddress(from, out var start))
            {
                problem = $"Scan target '{text}' is not a valid IPv4 range";
                return false;
            }

            uint end;
            if (byte.TryParse(to, NumberStyles.None, CultureInfo.InvariantCulture, out var lastOctet))
            {
                end = (start & 0xFFFFFF00u) | lastOctet;
            }
            else if (!TryAddress(to, out end))
            {
                problem = $"Scan target '{text}' is not a valid IPv4 range (a.b.c.d-e or a.b.c.d-w.x.y.z)";
                return false;
            }

            if (end < start)
            {
                problem = $"Scan target '{text}' ends before it starts";
                return false;
            }

            first = start;
            count = (ulong)(end - start) + 1;
            return true;
        }

        if (!TryAddress(body, out first))
        {
            problem = $"Scan target '{text}' is not an IPv4 address, range or CIDR";
            return false;
        }

        count = 1;
        return true;
    }

    private static bool TryAddress(string text, out uint value)
    {
        value = 0;

        // IPAddress.TryParse accepts shorthand such as "10.1" and plain integers; a scan target must be dotted quad.
        if (text.Count(c => c == '.') != 3
            || !IPAddress.TryParse(text, out var address)
            || address.AddressFamily != AddressFamily.InterNetwork)
        {
            return false;
        }

        value = BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes());
        return true;
    }

    private static IPAddress ToAddress(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return new IPAddress(bytes);
    }
}
