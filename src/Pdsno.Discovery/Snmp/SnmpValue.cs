using System.Globalization;
using System.Net;
using System.Text;

namespace Pdsno.Discovery.Snmp;

/// <summary>A typed SNMP value as carried in a varbind; <c>default</c> is Null.</summary>
public readonly struct SnmpValue : IEquatable<SnmpValue>
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly byte _tag;
    private readonly ulong _number;
    private readonly byte[]? _bytes;
    private readonly Oid _oid;

    private SnmpValue(SnmpType type, ulong number = 0, byte[]? bytes = null, Oid oid = default)
    {
        _tag = (byte)type;
        _number = number;
        _bytes = bytes;
        _oid = oid;
    }

    public static SnmpValue Null => default;

    public static SnmpValue NoSuchObject => new(SnmpType.NoSuchObject);

    public static SnmpValue NoSuchInstance => new(SnmpType.NoSuchInstance);

    public static SnmpValue EndOfMibView => new(SnmpType.EndOfMibView);

    // A zero tag is the default struct, which reads as Null.
    public SnmpType Type => _tag == 0 ? SnmpType.Null : (SnmpType)_tag;

    /// <summary>True for noSuchObject, noSuchInstance and endOfMibView: the agent has no value to give.</summary>
    public bool IsException => Type is SnmpType.NoSuchObject or SnmpType.NoSuchInstance or SnmpType.EndOfMibView;

    public static SnmpValue Integer32(int value) => new(SnmpType.Integer32, unchecked((ulong)(long)value));

    public static SnmpValue OctetString(ReadOnlySpan<byte> value) => new(SnmpType.OctetString, bytes: value.ToArray());

    public static SnmpValue OctetString(string value) => new(SnmpType.OctetString, bytes: Encoding.UTF8.GetBytes(value));

    public static SnmpValue ObjectIdentifier(Oid value) => new(SnmpType.ObjectIdentifier, oid: value);

    public static SnmpValue IpAddress(IPAddress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
        {
            throw new ArgumentException("SNMP IpAddress is IPv4 only", nameof(value));
        }

        return new(SnmpType.IpAddress, bytes: value.GetAddressBytes());
    }

    public static SnmpValue Counter32(uint value) => new(SnmpType.Counter32, value);

    public static SnmpValue Gauge32(uint value) => new(SnmpType.Gauge32, value);

    public static SnmpValue TimeTicks(uint value) => new(SnmpType.TimeTicks, value);

    public static SnmpValue Opaque(ReadOnlySpan<byte> value) => new(SnmpType.Opaque, bytes: value.ToArray());

    public static SnmpValue Counter64(ulong value) => new(SnmpType.Counter64, value);

    public static bool operator ==(SnmpValue left, SnmpValue right) => left.Equals(right);

    public static bool operator !=(SnmpValue left, SnmpValue right) => !left.Equals(right);

    /// <summary>The number of an INTEGER, Counter32, Gauge32, TimeTicks or Counter64 (which must fit).</summary>
    public long AsInt64() => Type switch
    {
        SnmpType.Integer32 => unchecked((long)_number),
        SnmpType.Counter32 or SnmpType.Gauge32 or SnmpType.TimeTicks => (long)_number,
        SnmpType.Counter64 when _number <= long.MaxValue => (long)_number,
        SnmpType.Counter64 => throw new OverflowException($"Counter64 {_number} does not fit a signed 64-bit number"),
        _ => throw NotA("a number"),
    };

    /// <summary>The number of a counter, gauge, TimeTicks or non-negative INTEGER.</summary>
    public ulong AsUInt64() => Type switch
    {
        SnmpType.Counter32 or SnmpType.Gauge32 or SnmpType.TimeTicks or SnmpType.Counter64 => _number,
        SnmpType.Integer32 when unchecked((long)_number) >= 0 => _number,
        SnmpType.Integer32 => throw new OverflowException($"INTEGER {unchecked((long)_number)} is negative"),
        _ => throw NotA("a number"),
    };

    /// <summary>The raw bytes of an OCTET STRING, Opaque or IpAddress: use this for MAC addresses.</summary>
    public ReadOnlyMemory<byte> AsBytes() => Type is SnmpType.OctetString or SnmpType.Opaque or SnmpType.IpAddress
        ? _bytes ?? []
        : throw NotA("an OCTET STRING");

    public Oid AsOid() => Type == SnmpType.ObjectIdentifier ? _oid : throw NotA("an OBJECT IDENTIFIER");

    public IPAddress AsIPAddress() => Type == SnmpType.IpAddress ? new IPAddress(_bytes!) : throw NotA("an IpAddress");

    /// <summary>
    /// Text for display: an OCTET STRING as UTF-8 when it is printable text, otherwise as colon-separated hex
    /// (how MAC addresses read); other types in their usual notation.
    /// </summary>
    public string AsString() => Type switch
    {
        SnmpType.OctetString => TextOf(_bytes ?? []) ?? ToHex(_bytes ?? []),
        SnmpType.Opaque => ToHex(_bytes ?? []),
        SnmpType.IpAddress => AsIPAddress().ToString(),
        SnmpType.Integer32 => unchecked((long)_number).ToString(CultureInfo.InvariantCulture),
        SnmpType.Counter32 or SnmpType.Gauge32 or SnmpType.TimeTicks or SnmpType.Counter64 => _number.ToString(CultureInfo.InvariantCulture),
        SnmpType.ObjectIdentifier => _oid.ToString(),
        SnmpType.Null => "",
        _ => Type.ToString(),
    };

    public bool Equals(SnmpValue other) =>
        Type == other.Type
        && _number == other._number
        && _oid == other._oid
        && (_bytes ?? []).AsSpan().SequenceEqual(other._bytes ?? []);

    public override bool Equals(object? obj) => obj is SnmpValue other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Type, _number, _oid, _bytes?.Length ?? 0);

    public override string ToString() => IsException || Type == SnmpType.Null ? Type.ToString() : $"{Type}: {AsString()}";

    internal static SnmpValue FromWire(SnmpType type, ulong number, byte[]? bytes, Oid oid) => new(type, number, bytes, oid);

    internal ulong RawNumber => _number;

    internal ReadOnlySpan<byte> RawBytes => _bytes;

    internal Oid RawOid => _oid;

    private static string? TextOf(ReadOnlySpan<byte> bytes)
    {
        // Some agents NUL-terminate strings such as sysDescr; the terminator is not part of the text.
        var trimmed = bytes.TrimEnd((byte)0);
        if (trimmed.IsEmpty && !bytes.IsEmpty)
        {
            return null;
        }

        bytes = trimmed;
        string text;
        try
        {
            text = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }

        foreach (var c in text)
        {
            if (char.IsControl(c) && c is not ('\r' or '\n' or '\t'))
            {
                return null;
            }
        }

        return text;
    }

    private static string ToHex(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return "";
        }

        var text = new StringBuilder(bytes.Length * 3 - 1);
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

    private InvalidOperationException NotA(string what) => new($"The value is {Type}, not {what}");
}
