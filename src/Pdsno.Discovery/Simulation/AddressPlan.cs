namespace Pdsno.Discovery.Simulation;

/// <summary>Deterministic, collision-free MAC and management addresses for one simulated topology.</summary>
/// <remarks>
/// A MAC is 02 (locally administered, unicast) followed by 40 bits: a 15-bit salt that keeps different
/// topologies apart, one bit telling chassis ids from interface MACs, and a 24-bit serial. Serials come from
/// counters rather than hashes so that a 100,000-device topology cannot collide with itself.
/// </remarks>
internal sealed class AddressPlan
{
    private const int SerialBits = 24;
    private const ulong MaxSerial = (1UL << SerialBits) - 1;
    private const ulong InterfaceBit = 1UL << SerialBits;

    private readonly ulong _salt;
    private ulong _nextInterfaceSerial;

    /// <summary>
    /// A plan salted by <paramref name="saltSource"/>. A non-zero <paramref name="saltExtension"/> goes into the six free
    /// bits of the first octet (still locally administered unicast): it separates two networks of one tenant whose salt
    /// sources share their low 15 bits, while extension 0 keeps the addresses every earlier version gave.
    /// </summary>
    public AddressPlan(ulong saltSource, int saltExtension = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(saltExtension);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(saltExtension, MaxSaltExtension);
        _salt = (SaltOf(saltSource) << (SerialBits + 1)) | ((ulong)saltExtension << 40);
    }

    public static ulong MaxChassisSerial => MaxSerial;

    /// <summary>The largest salt extension.</summary>
    public const int MaxSaltExtension = 63;

    /// <summary>The 15 bits of a salt source that go into every address.</summary>
    public static ulong SaltOf(ulong saltSource) => saltSource & 0x7FFF;

    public string ChassisId(ulong serial)
    {
        if (serial > MaxSerial)
        {
            throw new InvalidOperationException($"Chassis serial {serial} exceeds the {SerialBits}-bit address plan.");
        }

        return Format(_salt | serial);
    }

    public string NextInterfaceMac()
    {
        if (_nextInterfaceSerial > MaxSerial)
        {
            throw new InvalidOperationException($"More than {MaxSerial + 1} interfaces do not fit the address plan.");
        }

        return Format(_salt | InterfaceBit | _nextInterfaceSerial++);
    }

    /// <summary>A 10.x.y.z address for the n-th device, skipping network and broadcast host numbers.</summary>
    public static string ManagementAddress(int secondOctetBase, long n)
    {
        var host = (n % 254) + 1;
        var third = (n / 254) % 256;
        var second = (secondOctetBase + (n / (254 * 256))) % 256;
        return $"10.{second}.{third}.{host}";
    }

    /// <summary>FNV-1a, because string.GetHashCode is randomised per process and ids must survive restarts.</summary>
    public static ulong StableHash(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash ^= c;
            hash *= 1099511628211UL;
        }

        // Final avalanche so that inputs differing only in the last character spread over all bits.
        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccdUL;
        hash ^= hash >> 33;
        return hash;
    }

    private static string Format(ulong low46) => string.Create(17, low46, static (span, value) =>
    {
        const string hex = "0123456789abcdef";
        var first = 0x02 | (int)((value >> 40) << 2);
        span[0] = hex[first >> 4];
        span[1] = hex[first & 0xF];
        for (var octet = 0; octet < 5; octet++)
        {
            var b = (int)(value >> (8 * (4 - octet))) & 0xFF;
            var at = 2 + (octet * 3);
            span[at] = ':';
            span[at + 1] = hex[b >> 4];
            span[at + 2] = hex[b & 0xF];
        }
    });
}
