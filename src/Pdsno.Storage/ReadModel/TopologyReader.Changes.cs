using System.Text;
using Npgsql;
using Pdsno.Abstractions.Changes;

namespace Pdsno.Storage.ReadModel;

// Changes: the changes table, by key and by filter, newest key last (keys sort by creation time).
public sealed partial class TopologyReader
{
    /// <summary>The changes among <paramref name="changes"/> that exist, by key; the caller keeps to its regions.</summary>
    public Task<IReadOnlyDictionary<string, ChangeRecord>> GetChangesAsync(string tenant, IReadOnlyCollection<string> changes, CancellationToken cancellationToken = default) =>
        ReadByKeyAsync(
            "SELECT c.change, c.document::text FROM changes c WHERE c.tenant = @tenant AND c.change = ANY(@keys)",
            tenant, changes, ReadChange, c => c.Key, cancellationToken);

    /// <summary>A keyset page of the changes matching <paramref name="query"/>, ordered by key.</summary>
    public Task<KeysetResult<ChangeRecord>> ReadChangesPageAsync(string tenant, ChangeQuery query, KeysetPage page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var (where, bind) = ChangeWhere(query);
        return ReadPageAsync($"SELECT c.change, c.document::text FROM changes c WHERE c.tenant = @tenant{where}", "c.change", tenant, page, bind, ReadChange, cancellationToken);
    }

    /// <summary>How many changes match <paramref name="query"/>.</summary>
    public Task<int> CountChangesAsync(string tenant, ChangeQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var (where, bind) = ChangeWhere(query);
        return CountAsync($"SELECT count(*) FROM changes c WHERE c.tenant = @tenant{where}", tenant, bind, cancellationToken);
    }

    private static (string Where, Action<NpgsqlCommand> Bind) ChangeWhere(ChangeQuery query)
    {
        var where = new StringBuilder();
        if (query.Status is not null)
        {
            where.Append(" AND c.status = @f_status");
        }

        if (query.Region is not null)
        {
            where.Append(" AND c.regions @> ARRAY[@f_region]::text[]");
        }

        if (query.Device is not null)
        {
            where.Append(" AND c.devices @> ARRAY[@f_device]::text[]");
        }

        if (query.Scope is not null)
        {
            where.Append(" AND c.regions <@ @f_scope");
        }

        return (where.ToString(), command =>
        {
            AddIfSet(command, "f_status", query.Status);
            AddIfSet(command, "f_region", query.Region);
            AddIfSet(command, "f_device", query.Device);
            AddScope(command, query.Scope);
        });
    }

    /// <summary>
    /// Across every tenant, what a silo may have left halfway: each change still executing or rolling back (no device
    /// named), and each device locked by a change that is neither (the device named), at most <paramref name="max"/>.
    /// </summary>
    public async Task<IReadOnlyList<ChangeToResume>> FindChangesToResumeAsync(int max, CancellationToken cancellationToken = default)
    {
        // Not counted: the statement budget is the requests', and this runs on the silo's own schedule.
        await using var command = dataSource.CreateCommand(
            """
            SELECT c.tenant, c.change, NULL::text FROM changes c WHERE c.status IN ('EXECUTING', 'ROLLING_BACK')
            UNION ALL
            SELECT d.tenant, d.locked_by, d.device FROM devices d
            WHERE d.locked_by IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM changes c WHERE c.tenant = d.tenant AND c.change = d.locked_by AND c.status IN ('EXECUTING', 'ROLLING_BACK'))
            LIMIT @max
            """);
        command.Parameters.AddWithValue("max", max);
        var found = new List<ChangeToResume>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            found.Add(new ChangeToResume(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
        }

        return found;
    }

    private static ChangeRecord ReadChange(NpgsqlDataReader r) => new(r.GetString(0), ChangeDocument.Deserialize(r.GetString(1)));
}
