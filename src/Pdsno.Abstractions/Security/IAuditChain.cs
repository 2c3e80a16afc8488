namespace Pdsno.Abstractions.Security;

/// <summary>
/// One record of the tenant's hash-chained audit trail before it is chained: who (<paramref name="Actor"/>, never a
/// secret), what (<paramref name="Operation"/>, e.g. a GraphQL mutation's root field), on what (<paramref name="Target"/>,
/// the ids and keys it named), and how it ended (<paramref name="Outcome"/>: <c>ok</c> or an error code).
/// </summary>
public sealed record AuditRecordDraft(string Tenant, string Actor, string Operation, string Target, string Outcome, string Detail = "")
{
    /// <summary>The outcome of an operation that did what was asked.</summary>
    public const string Ok = "ok";
}

/// <summary>The append-only, hash-chained audit trail of every tenant.</summary>
public interface IAuditChain
{
    /// <summary>Appends records (each to its tenant's chain) and completes once they are durable.</summary>
    Task AppendAsync(IReadOnlyList<AuditRecordDraft> records, CancellationToken cancellationToken = default);
}
