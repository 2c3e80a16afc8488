namespace Pdsno.Discovery.Snmp;

/// <summary>
/// Reads BER elements from a span without trusting any length in it: every length is checked against the bytes
/// actually present, so hostile input costs no more than its own size.
/// </summary>
public ref struct BerReader
{
    /// <summary>SNMP messages nest four deep; anything much deeper is an attack or garbage.</summary>
    public const int MaxDepth = 16;

    private readonly ReadOnlySpan<byte> _data;
    private readonly int _baseOffset;
    private readonly int _depth;
    private int _position;

    public BerReader(ReadOnlySpan<byte> data)
        : this(data, 0, 0)
    {
    }

    private BerReader(ReadOnlySpan<byte> data, int baseOffset, int depth)
    {
        _data = data;
        _baseOffset = baseOffset;
        _depth = depth;
        _position = 0;
    }

    public readonly bool HasData => _position < _data.Length;

    /// <summary>Offset of the next byte relative to the start of the outermost buffer.</summary>
    public readonly int Offset => _baseOffset + _position;

    public readonly byte PeekTag()
    {
        if (!HasData)
        {
            throw Error("expected an element but the data ended");
        }

        return _data[_position];
    }

    /// <summary>Reads one element and returns its content; <paramref name="contentOffset"/> is absolute.</summary>
    public ReadOnlySpan<byte> ReadElement(out byte tag, out int contentOffset)
    {
        tag = PeekTag();

        // SNMP uses only single-byte tags; the high-tag-number form never appears in a valid message.
        if ((tag & 0x1F) == 0x1F)
        {
            throw Error($"multi-byte tag 0x{tag:X2} is not used by SNMP");
        }

        _position++;
        var length = ReadLength();
        contentOffset = Offset;
        var content = _data.Slice(_position, length);
        _position += length;
        return content;
    }

    public ReadOnlySpan<byte> ReadElement(byte expectedTag, out int contentOffset)
    {
        var tagOffset = Offset;
        var content = ReadElement(out var tag, out contentOffset);
        if (tag != expectedTag)
        {
            throw new SnmpDecodeException($"expected tag 0x{expectedTag:X2} but found 0x{tag:X2}", tagOffset);
        }

        return content;
    }

    /// <summary>Reads a constructed element (SEQUENCE or PDU) and returns a reader over its content.</summary>
    public BerReader ReadConstructed(out byte tag)
    {
        var tagOffset = Offset;
        var content = ReadElement(out tag, out var contentOffset);
        if ((tag & 0x20) == 0)
        {
            throw new SnmpDecodeException($"expected a constructed element but found tag 0x{tag:X2}", tagOffset);
        }

        if (_depth + 1 > MaxDepth)
        {
            throw new SnmpDecodeException($"elements nest deeper than {MaxDepth}", tagOffset);
        }

        return new BerReader(content, contentOffset, _depth + 1);
    }

    public BerReader ReadConstructed(byte expectedTag)
    {
        var tagOffset = Offset;
        var reader = ReadConstructed(out var tag);
        if (tag != expectedTag)
        {
            throw new SnmpDecodeException($"expected tag 0x{expectedTag:X2} but found 0x{tag:X2}", tagOffset);
        }

        return reader;
    }

    public long ReadInteger() => DecodeSigned(ReadElement(0x02, out var offset), offset);

    public int ReadInt32()
    {
        var offset = Offset;
        var value = ReadInteger();
        if (value is < int.MinValue or > int.MaxValue)
        {
            throw new SnmpDecodeException($"INTEGER {value} does not fit 32 bits", offset);
        }

        return (int)value;
    }

    public ReadOnlySpan<byte> ReadOctetString() => ReadElement(0x04, out _);

    public Oid ReadOid() => DecodeOid(ReadElement(0x06, out var offset), offset);

    /// <summary>Reads any value SNMPv2c carries in a varbind.</summary>
    public SnmpValue ReadValue()
    {
        var tagOffset = Offset;
        var content = ReadElement(out var tag, out var offset);
        var type = (SnmpType)tag;
        switch (type)
        {
            case SnmpType.Integer32:
                return SnmpValue.FromWire(type, unchecked((ulong)DecodeSigned(content, offset)), null, default);
            case SnmpType.OctetString:
            case SnmpType.Opaque:
                return SnmpValue.FromWire(type, 0, content.ToArray(), default);
            case SnmpType.Null:
            case SnmpType.NoSuchObject:
            case SnmpType.NoSuchInstance:
            case SnmpType.EndOfMibView:
                if (!content.IsEmpty)
                {
                    throw new SnmpDecodeException($"{type} must have no content but has {content.Length} bytes", offset);
                }

                return SnmpValue.FromWire(type, 0, null, default);
            case SnmpType.ObjectIdentifier:
                return SnmpValue.FromWire(type, 0, null, DecodeOid(content, offset));
            case SnmpType.IpAddress:
                if (content.Length != 4)
                {
                    throw new SnmpDecodeException($"IpAddress must have 4 bytes but has {content.Length}", offset);
                }

                return SnmpValue.FromWire(type, 0, content.ToArray(), default);
            case SnmpType.Counter32:
            case SnmpType.Gauge32:
            case SnmpType.TimeTicks:
                return SnmpValue.FromWire(type, DecodeUnsigned(content, offset, 32), null, default);
            case SnmpType.Counter64:
                return SnmpValue.FromWire(type, DecodeUnsigned(content, offset, 64), null, default);
            default:
                throw new SnmpDecodeException($"tag 0x{tag:X2} is not an SNMPv2c value type", tagOffset);
        }
    }

    public readonly void ExpectEnd(string what)
    {
        if (HasData)
        {
            throw Error($"{_data.Length - _position} unexpected byte(s) after {what}");
        }
    }

    /// <summary>Counts the elements left without decoding them, so callers can cap and size collections first.</summary>
    public readonly int CountElements(int max)
    {
        var copy = this;
        var count = 0;
        while (copy.HasData)
        {
            if (++count > max)
            {
                throw copy.Error($"more than {max} elements");
            }

            copy.ReadElement(out _, out _);
        }

        return count;
    }

    private int ReadLength()
    {
        if (!HasData)
        {
            throw Error("the length is missing");
        }

        var lengthOffset = Offset;
        int first = _data[_position++];
        long length;
        if (first < 0x80)
        {
            length = first;
        }
        else
        {
            var count = first & 0x7F;
            if (count == 0)
            {
                throw new SnmpDecodeException("indefinite lengths are not allowed in SNMP", lengthOffset);
            }

            if (count > 4)
            {
                throw new SnmpDecodeException($"a {count}-byte length is longer than any UDP datagram needs", lengthOffset);
            }

            if (_data.Length - _position < count)
            {
                throw new SnmpDecodeException("the length is truncated", lengthOffset);
            }

            length = 0;
            for (var i = 0; i < count; i++)
            {
                length = (length << 8) | _data[_position++];
            }
        }

        if (length > _data.Length - _position)
        {
            throw new SnmpDecodeException($"length {length} exceeds the {_data.Length - _position} byte(s) present", lengthOffset);
        }

        return (int)length;
    }

    private static long DecodeSigned(ReadOnlySpan<byte> content, int offset)
    {
        if (content.IsEmpty)
        {
            throw new SnmpDecodeException("INTEGER has no content", offset);
        }

        if (content.Length > 8)
        {
            throw new SnmpDecodeException($"INTEGER of {content.Length} bytes does not fit 64 bits", offset);
        }

        long value = unchecked((sbyte)content[0]);
        for (var i = 1; i < content.Length; i++)
        {
            value = unchecked((value << 8) | content[i]);
        }

        return value;
    }

    // Unsigned application types are read as unsigned even when an agent forgot the leading zero byte,
    // which several embedded agents do for counters above 2^31.
    private static ulong DecodeUnsigned(ReadOnlySpan<byte> content, int offset, int bits)
    {
        if (content.IsEmpty)
        {
            throw new SnmpDecodeException("number has no content", offset);
        }

        var significant = content.TrimStart((byte)0);
        if (significant.Length > bits / 8 || content.Length > bits / 8 + 1)
        {
            throw new SnmpDecodeException($"number of {content.Length} bytes does not fit {bits} bits", offset);
        }

        ulong value = 0;
        foreach (var b in significant)
        {
            value = (value << 8) | b;
        }

        return value;
    }

    private static Oid DecodeOid(ReadOnlySpan<byte> content, int offset)
    {
        if (content.IsEmpty)
        {
            throw new SnmpDecodeException("OBJECT IDENTIFIER has no content", offset);
        }

        // Every sub-identifier ends in a byte below 0x80, so counting those sizes the array exactly.
        var count = 1;
        foreach (var b in content)
        {
            if (b < 0x80)
            {
                count++;
            }
        }

        if ((content[^1] & 0x80) != 0)
        {
            throw new SnmpDecodeException("OBJECT IDENTIFIER ends inside a sub-identifier", offset + content.Length - 1);
        }

        if (count > Oid.MaxLength)
        {
            throw new SnmpDecodeException($"OBJECT IDENTIFIER has more than {Oid.MaxLength} arcs", offset);
        }

        var arcs = new uint[count];
        var index = 0;
        ulong current = 0;
        var groups = 0;
        for (var i = 0; i < content.Length; i++)
        {
            var b = content[i];
            if (groups == 0 && b == 0x80)
            {
                throw new SnmpDecodeException("sub-identifier has a redundant leading 0x80 byte", offset + i);
            }

            current = (current << 7) | (uint)(b & 0x7F);
            groups++;

            // The first sub-identifier may hold 2.(2^32-81) at most; the rest must fit 32 bits.
            var limit = index == 0 ? (ulong)uint.MaxValue + 80 : uint.MaxValue;
            if (current > limit || groups > 5)
            {
                throw new SnmpDecodeException("sub-identifier does not fit 32 bits", offset + i);
            }

            if (b >= 0x80)
            {
                continue;
            }

            if (index == 0)
            {
                var first = current < 40 ? 0u : current < 80 ? 1u : 2u;
                arcs[0] = first;
                arcs[1] = (uint)(current - 40 * first);
                index = 2;
            }
            else
            {
                arcs[index++] = (uint)current;
            }

            current = 0;
            groups = 0;
        }

        return Oid.FromOwnedArray(arcs);
    }

    private readonly SnmpDecodeException Error(string problem) => new(problem, Offset);
}
