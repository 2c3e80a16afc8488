using GraphQL.Types;
using Pdsno.Storage.Audit;

namespace Pdsno.GraphQL.Audit;

/// <summary>GraphQL <c>AuditRecord</c>: one chained record of the tenant's audit trail.</summary>
public sealed class AuditRecordGraphType : ObjectGraphType<AuditRecord>
{
    /// <summary>Declares the record fields.</summary>
    public AuditRecordGraphType()
    {
        Name = "AuditRecord";
        Description = "One record of the tenant's append-only audit trail, chained to the one before by its hash.";
        Field(x => x.Seq, type: typeof(NonNullGraphType<LongGraphType>)).Description("Its position in the tenant's chain: 1, 2, 3, … without a gap.");
        Field(x => x.At).Description("When it was written.");
        Field(x => x.Actor).Description("Who acted: a token's id and name, the command line, or system; never a secret.");
        Field(x => x.Operation).Description("What was done: a mutation's root field, a sandbox route, a command or a security event.");
        Field(x => x.Target).Description("The ids and keys the operation named.");
        Field(x => x.Outcome).Description("`ok`, or the error code that stopped it (FORBIDDEN, BAD_USER_INPUT, NOT_FOUND, …).");
        Field(x => x.Detail);
        Field<NonNullGraphType<StringGraphType>>("prevHash").Description("SHA-256 of the previous record, hex (zeros for the first).").Resolve(c => Convert.ToHexStringLower(c.Source.PrevHash));
        Field<NonNullGraphType<StringGraphType>>("hash").Description("SHA-256 of the previous hash and this record's fields, hex.").Resolve(c => Convert.ToHexStringLower(c.Source.Hash));
    }
}

/// <summary>GraphQL <c>AuditBreak</c>: the first record of the chain that does not hold.</summary>
public sealed class AuditBreakGraphType : ObjectGraphType<AuditBreak>
{
    /// <summary>Declares the fields.</summary>
    public AuditBreakGraphType()
    {
        Name = "AuditBreak";
        Field(x => x.Seq, type: typeof(NonNullGraphType<LongGraphType>)).Description("The record's seq (after a gap: the first record after it).");
        Field(x => x.Reason).Description("hash mismatch, prev_hash mismatch, or gap in seq, with what was expected.");
    }
}

/// <summary>GraphQL <c>AuditVerification</c>: the result of checking the tenant's whole chain.</summary>
public sealed class AuditVerificationGraphType : ObjectGraphType<AuditVerification>
{
    /// <summary>Declares the fields.</summary>
    public AuditVerificationGraphType()
    {
        Name = "AuditVerification";
        Field(x => x.Ok).Description("True when every record holds.");
        Field(x => x.Checked, type: typeof(NonNullGraphType<LongGraphType>)).Description("How many records were checked.");
        Field<AuditBreakGraphType>("firstBroken").Description("The first record that does not hold; null when the chain is intact.").Resolve(c => c.Source.FirstBroken);
    }
}
