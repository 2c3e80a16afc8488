namespace Pdsno.Storage.Audit;

/// <summary>The first record of the trail that does not hold, and why.</summary>
public sealed record AuditBreak(string Tenant, long Seq, string Reason);

/// <summary>What a verification found: how many records it checked and the first broken one, if any.</summary>
public sealed record AuditVerification(long Checked, AuditBreak? FirstBroken)
{
    /// <summary>True when every record checked holds.</summary>
    public bool Ok => FirstBroken is null;
}

/// <summary>
/// Checks records fed in chain order (by tenant, then seq), holding only the previous record's seq and hash, so a
/// trail of any length is checked in constant memory. Each tenant's chain must start at seq 1 from the genesis hash
/// and go on without a gap, each record naming its predecessor's hash and carrying the hash of its own fields.
/// After a break it goes on from the stored record, so one tampered record is reported once.
/// </summary>
public sealed class AuditChainVerifier
{
    private readonly byte[] _previousHash = new byte[AuditHash.Size];
    private readonly byte[] _computed = new byte[AuditHash.Size];
    private string? _tenant;
    private long _previousSeq;

    /// <summary>How many records were checked.</summary>
    public long Checked { get; private set; }

    /// <summary>The first record that does not hold, or null.</summary>
    public AuditBreak? FirstBroken { get; private set; }

    /// <summary>The result so far.</summary>
    public AuditVerification Result => new(Checked, FirstBroken);

    /// <summary>Checks the next record; returns the problem with it, or null.</summary>
    public AuditBreak? Add(string tenant, long seq, DateTimeOffset at, string actor, string operation, string target, string outcome, string detail, ReadOnlySpan<byte> prevHash, ReadOnlySpan<byte> hash)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        if (!string.Equals(tenant, _tenant, StringComparison.Ordinal))
        {
            _tenant = tenant;
            _previousSeq = 0;
            AuditHash.Genesis.CopyTo(_previousHash);
        }

        Checked++;
        string? reason = null;
        if (seq != _previousSeq + 1)
        {
            reason = seq > _previousSeq + 1
                ? (seq - _previousSeq == 2 ? $"gap in seq: record {_previousSeq + 1} is missing" : $"gap in seq: records {_previousSeq + 1} to {seq - 1} are missing")
                : $"gap in seq: expected {_previousSeq + 1}, found {seq} again";
        }
        else if (!prevHash.SequenceEqual(_previousHash))
        {
            reason = _previousSeq == 0
                ? "prev_hash mismatch: the first record does not chain from the genesis hash"
                : $"prev_hash mismatch: it does not name the hash of record {_previousSeq}";
        }
        else if (hash.Length != AuditHash.Size)
        {
            reason = "hash mismatch: the stored hash is not 32 bytes";
        }
        else
        {
            AuditHash.Compute(prevHash, tenant, seq, at, actor, operation, target, outcome, detail, _computed);
            if (!hash.SequenceEqual(_computed))
            {
                reason = "hash mismatch: the record's fields are not those it was written with";
            }
        }

        _previousSeq = seq;
        if (hash.Length == AuditHash.Size)
        {
            hash.CopyTo(_previousHash);
        }

        if (reason is null)
        {
            return null;
        }

        var broken = new AuditBreak(tenant, seq, reason);
        FirstBroken ??= broken;
        return broken;
    }

    /// <summary>Checks the next record.</summary>
    public AuditBreak? Add(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return Add(record.Tenant, record.Seq, record.At, record.Actor, record.Operation, record.Target, record.Outcome, record.Detail, record.PrevHash, record.Hash);
    }
}
