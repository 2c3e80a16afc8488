using System.Buffers;
using System.Text;

namespace Pdsno.Discovery.Snmp;

/// <summary>
/// Writes BER into a pooled buffer. Constructed elements reserve a one-byte length and shift their content only
/// when it outgrows 127 bytes, so most messages are written in one pass without intermediate arrays.
/// </summary>
public sealed class BerWriter : IDisposable
{
    private byte[] _buffer;
    private int _length;

    public BerWriter(int initialCapacity = 512)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initialCapacity, 16));
    }

    public int Length => _length;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _length);

    public byte[] ToArray() => WrittenSpan.ToArray();

    public void Reset() => _length = 0;

    /// <summary>Starts a SEQUENCE or PDU; pass the returned bookmark to <see cref="EndConstructed"/>.</summary>
    public int BeginConstructed(byte tag)
    {
        Ensure(2);
        _buffer[_length++] = tag;
        var bookmark = _length;
        _buffer[_length++] = 0;
        return bookmark;
    }

    public void EndConstructed(int bookmark)
    {
        if (bookmark <= 0 || bookmark > _length - 1)
        {
            throw new ArgumentOutOfRangeException(nameof(bookmark));
        }

        var contentStart = bookmark + 1;
        var contentLength = _length - contentStart;
        var lengthSize = LengthSize(contentLength);
        if (lengthSize > 1)
        {
            Ensure(lengthSize - 1);
            _buffer.AsSpan(contentStart, contentLength).CopyTo(_buffer.AsSpan(contentStart + lengthSize - 1));
            _length += lengthSize - 1;
        }

        WriteLengthAt(bookmark, contentLength, lengthSize);
    }

    public void WriteInteger(long value, byte tag = 0x02)
    {
        // Minimal two's complement: drop leading bytes that only repeat the sign of the next one.
        var size = 8;
        while (size > 1)
        {
            var top = (byte)(value >> ((size - 1) * 8));
            var nextHigh = (byte)(value >> ((size - 2) * 8)) & 0x80;
            if ((top == 0x00 && nextHigh == 0) || (top == 0xFF && nextHigh != 0))
            {
                size--;
            }
            else
            {
                break;
            }
        }

        WriteHeader(tag, size);
        for (var i = size - 1; i >= 0; i--)
        {
            _buffer[_length++] = (byte)(value >> (i * 8));
        }
    }

    /// <summary>Writes a Counter32, Gauge32, TimeTicks or Counter64, with a leading zero when the top bit is set.</summary>
    public void WriteUnsigned(ulong value, byte tag)
    {
        var size = 1;
        while (size < 8 && value >> (size * 8) != 0)
        {
            size++;
        }

        var pad = (value >> ((size * 8) - 1) & 1) != 0 ? 1 : 0;
        WriteHeader(tag, size + pad);
        if (pad == 1)
        {
            _buffer[_length++] = 0;
        }

        for (var i = size - 1; i >= 0; i--)
        {
            _buffer[_length++] = (byte)(value >> (i * 8));
        }
    }

    public void WriteOctetString(ReadOnlySpan<byte> value, byte tag = 0x04)
    {
        WriteHeader(tag, value.Length);
        value.CopyTo(_buffer.AsSpan(_length));
        _length += value.Length;
    }

    public void WriteOctetString(string value, byte tag = 0x04)
    {
        var size = Encoding.UTF8.GetByteCount(value);
        WriteHeader(tag, size);
        _length += Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_length));
    }

    public void WriteNull(byte tag = 0x05) => WriteHeader(tag, 0);

    public void WriteOid(Oid oid)
    {
        var arcs = oid.Arcs;
        if (arcs.IsEmpty)
        {
            throw new ArgumentException("An empty OID cannot be encoded", nameof(oid));
        }

        // A one-arc OID has no encoding of its own; net-snmp sends it as arc.0 and so do we.
        var first = (40UL * arcs[0]) + (arcs.Length > 1 ? arcs[1] : 0);
        var size = SubIdentifierSize(first);
        for (var i = 2; i < arcs.Length; i++)
        {
            size += SubIdentifierSize(arcs[i]);
        }

        WriteHeader(0x06, size);
        WriteSubIdentifier(first);
        for (var i = 2; i < arcs.Length; i++)
        {
            WriteSubIdentifier(arcs[i]);
        }
    }

    public void WriteValue(SnmpValue value)
    {
        var tag = (byte)value.Type;
        switch (value.Type)
        {
            case SnmpType.Integer32:
                WriteInteger(unchecked((long)value.RawNumber), tag);
                break;
            case SnmpType.OctetString:
            case SnmpType.Opaque:
            case SnmpType.IpAddress:
                WriteOctetString(value.RawBytes, tag);
                break;
            case SnmpType.ObjectIdentifier:
                WriteOid(value.RawOid);
                break;
            case SnmpType.Counter32:
            case SnmpType.Gauge32:
            case SnmpType.TimeTicks:
            case SnmpType.Counter64:
                WriteUnsigned(value.RawNumber, tag);
                break;
            default:
                WriteNull(tag);
                break;
        }
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _length = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static int LengthSize(int length) => length switch
    {
        < 0x80 => 1,
        <= 0xFF => 2,
        <= 0xFFFF => 3,
        <= 0xFFFFFF => 4,
        _ => 5,
    };

    private static int SubIdentifierSize(ulong value)
    {
        var size = 1;
        while ((value >>= 7) != 0)
        {
            size++;
        }

        return size;
    }

    private void WriteSubIdentifier(ulong value)
    {
        var size = SubIdentifierSize(value);
        for (var i = size - 1; i >= 0; i--)
        {
            var group = (byte)((value >> (i * 7)) & 0x7F);
            _buffer[_length++] = i == 0 ? group : (byte)(group | 0x80);
        }
    }

    private void WriteHeader(byte tag, int contentLength)
    {
        var lengthSize = LengthSize(contentLength);
        Ensure(1 + lengthSize + contentLength);
        _buffer[_length++] = tag;
        WriteLengthAt(_length, contentLength, lengthSize);
        _length += lengthSize;
    }

    private void WriteLengthAt(int position, int length, int lengthSize)
    {
        if (lengthSize == 1)
        {
            _buffer[position] = (byte)length;
            return;
        }

        _buffer[position] = (byte)(0x80 | (lengthSize - 1));
        for (var i = 1; i < lengthSize; i++)
        {
            _buffer[position + i] = (byte)(length >> ((lengthSize - 1 - i) * 8));
        }
    }

    private void Ensure(int additional)
    {
        ObjectDisposedException.ThrowIf(_buffer.Length == 0, this);
        if (_length + additional <= _buffer.Length)
        {
            return;
        }

        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + additional));
        WrittenSpan.CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }
}
