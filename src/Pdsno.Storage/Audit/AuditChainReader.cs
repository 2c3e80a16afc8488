using System.Globalization;
using System.Text;
using Npgsql;
using Pdsno.Storage.ReadModel;

namespace Pdsno.Storage.Audit;

/// <summary>Reads the audit trail: pages of one tenant's chain, and the verification of whole chains.</summary>
public sealed class AuditChainReader(NpgsqlDataSource dataSource)
{
    private const string Columns = "tenant, seq, at, actor, operation, target, outcome, detail, prev_hash, hash";

    /// <summary>A keyset page (keys are seqs) of <paramref name="tenant"/>'s records after <paramref name="since"/>, in seq order.</summary>
    public async Task<KeysetResult<AuditRecord>> ReadPageAsync(string tenant, long since, KeysetPage page, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenant);
        ArgumentNullException.ThrowIfNull(page);
        var sql = new StringBuilder($"SELECT {Columns} FROM audit_log WHERE tenant = @tenant AND seq > @since");
        if (page.After is not null)
        {
            sql.Append(" AND seq > @after");
        }

        if (page.Before is not null)
        {
            sql.Append(" AND seq < @before");
        }

        sql.Append(page.FromEnd ? " ORDER BY seq DESC" : " ORDER BY seq").Append(" LIMIT @limit");
        await using var command = dataSource.CreateCommand(sql.ToString());
        command.Parameters.AddWithValue("tenant", tenant);
        command.Parameters.AddWithValue("since", since);
        if (page.After is not null)
        {
            command.Parameters.AddWithValue("after", long.Parse(page.After, CultureInfo.InvariantCulture));
        }

        if (page.Before is not null)
        {
            command.Parameters.AddWithValue("before", long.Parse(page.Before, CultureInfo.InvariantCulture));
        }

        command.Parameters.AddWithValue("limit", page.Limit + 1);
        var rows = new List<AuditRecord>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(new AuditRecord(
                    reader.GetString(0),
                    reader.GetInt64(1),
                    new DateTimeOffset(reader.GetDateTime(2), TimeSpan.Zero),
                    reader.GetString(3),
                    reader.GetString(4),
                    reader.GetString(5),
                    reader.GetString(6),
                    reader.GetString(7),
                    reader.GetFieldValue<byte[]>(8),
                    reader.GetFieldValue<byte[]>(9)));
            }
        }

        var hasMore = rows.Count > page.Limit;
        if (hasMore)
        {
            rows.RemoveAt(rows.Count - 1);
        }

        if (page.FromEnd)
        {
            rows.Reverse();
        }

        return new KeysetResult<AuditRecord>(rows, hasMore);
    }

    /// <summary>How many records of <paramref name="tenant"/> follow <paramref name="since"/>.</summary>
    public async Task<int> CountAsync(string tenant, long since, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM audit_log WHERE tenant = @tenant AND seq > @since");
        command.Parameters.AddWithValue("tenant", tenant);
        command.Parameters.AddWithValue("since", since);
        return (int)(long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// Verifies the chain of <paramref name="tenant"/>, or of every tenant when null. The rows stream out of one binary
    /// COPY in chain order and only the previous record is held, so memory does not grow with the trail.
    /// </summary>
    public async Task<AuditVerification> VerifyAsync(string? tenant, CancellationToken cancellationToken = default)
    {
        if (tenant is not null && (tenant.Length == 0 || tenant.Contains('\0', StringComparison.Ordinal)))
        {
            throw new ArgumentException("a tenant is a non-empty name without NUL characters", nameof(tenant));
        }

        // COPY takes no parameters: the tenant is a literal, quoted as standard_conforming_strings (on since 9.1) reads it.
        var where = tenant is null ? "" : $" WHERE tenant = '{tenant.Replace("'", "''", StringComparison.Ordinal)}'";
        var verifier = new AuditChainVerifier();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var reader = await connection.BeginBinaryExportAsync(
            $"COPY (SELECT {Columns} FROM audit_log{where} ORDER BY tenant, seq) TO STDOUT (FORMAT BINARY)", cancellationToken);
        while (await reader.StartRowAsync(cancellationToken) != -1)
        {
            // The row is almost always in the buffer StartRowAsync filled: column reads are synchronous, a tenth of the
            // cost of awaiting each of them over a million rows.
            verifier.Add(
                reader.Read<string>(),
                reader.Read<long>(),
                new DateTimeOffset(reader.Read<DateTime>(), TimeSpan.Zero),
                reader.Read<string>(),
                reader.Read<string>(),
                reader.Read<string>(),
                reader.Read<string>(),
                reader.Read<string>(),
                reader.Read<byte[]>(),
                reader.Read<byte[]>());
        }

        return verifier.Result;
    }
}
