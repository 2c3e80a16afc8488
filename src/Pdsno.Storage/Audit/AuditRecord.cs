using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Pdsno.Storage.Audit;

/// <summary>A chained record of the audit trail, as stored in <c>audit_log</c>.</summary>
public sealed record AuditRecord(
    string Tenant,
    long Seq,
    DateTimeOffset At,
    string Actor,
    string Operation,
    string Target,
    string Outcome,
    string Detail,
    byte[] PrevHash,
    byte[] Hash);

/// <summary>
/// The hash of a chained record: SHA-256 over the previous record's hash followed by the record's fields in a fixed
/// order, each string as its UTF-8 length (4 bytes, big-endian) and bytes, seq and time (microseconds since the Unix
/// epoch, PostgreSQL's precision) as 8 bytes big-endian. The length prefixes keep field boundaries unambiguous.
/// </summary>
public static class AuditHash
{
    /// <summary>The size of a hash in bytes.</summary>
    public const int Size = SHA256.HashSizeInBytes;

    /// <summary>What the first record of every tenant chains from: 32 zero bytes.</summary>
    public static ReadOnlySpan<byte> Genesis => new byte[Size];

    /// <summary>The time as stored: whole microseconds, UTC.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset at) => new(at.UtcTicks - (at.UtcTicks % 10), TimeSpan.Zero);

    /// <summary>The hash of a record with these fields chained after <paramref name="prevHash"/>.</summary>
    public static byte[] Compute(ReadOnlySpan<byte> prevHash, string tenant, long seq, DateTimeOffset at, string actor, string operation, string target, string outcome, string detail)
    {
        var hash = new byte[Size];
        Compute(prevHash, tenant, seq, at, actor, operation, target, outcome, detail, hash);
        return hash;
    }

    /// <summary>Writes the hash of a record into <paramref name="destination"/> (32 bytes).</summary>
    public static void Compute(ReadOnlySpan<byte> prevHash, string tenant, long seq, DateTimeOffset at, string actor, string operation, string target, string outcome, string detail, Span<byte> destination)
    {
        if (prevHash.Length != Size)
        {
            throw new ArgumentException($"a previous hash has {Size} bytes, not {prevHash.Length}", nameof(prevHash));
        }

        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(detail);
        var length = Size + 16 + (5 * 4) + Encoding.UTF8.GetByteCount(tenant) + Encoding.UTF8.GetByteCount(actor) + Encoding.UTF8.GetByteCount(operation)
            + Encoding.UTF8.GetByteCount(target) + Encoding.UTF8.GetByteCount(outcome) + Encoding.UTF8.GetByteCount(detail) + 4;
        var rented = length <= 1024 ? null : System.Buffers.ArrayPool<byte>.Shared.Rent(length);
        var buffer = rented is null ? stackalloc byte[length] : rented.AsSpan(0, length);
        try
        {
            prevHash.CopyTo(buffer);
            var offset = Size;
            offset += Text(buffer[offset..], tenant);
            BinaryPrimitives.WriteInt64BigEndian(buffer[offset..], seq);
            BinaryPrimitives.WriteInt64BigEndian(buffer[(offset + 8)..], (Truncate(at).UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10);
            offset += 16;
            offset += Text(buffer[offset..], actor);
            offset += Text(buffer[offset..], operation);
            offset += Text(buffer[offset..], target);
            offset += Text(buffer[offset..], outcome);
            offset += Text(buffer[offset..], detail);
            SHA256.HashData(buffer[..offset], destination);
        }
        finally
        {
            if (rented is not null)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The hash <paramref name="record"/> should carry, from its fields and its stored previous hash.</summary>
    public static byte[] Of(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return Compute(record.PrevHash, record.Tenant, record.Seq, record.At, record.Actor, record.Operation, record.Target, record.Outcome, record.Detail);
    }

    private static int Text(Span<byte> destination, string value)
    {
        var written = Encoding.UTF8.GetBytes(value, destination[4..]);
        BinaryPrimitives.WriteInt32BigEndian(destination, written);
        return 4 + written;
    }
}
