using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace Pdsno.Storage.ReadModel;

/// <summary>
/// Every SQL read of the API against the read model. Each method is one statement (the topology at most three),
/// always scoped by tenant, and counted by <see cref="SqlStatementCounter"/>.
/// </summary>
/// <remarks>
/// One class in one file per aggregate (regions, devices, interfaces, links, events, the topology drawing): the
/// aggregates share this file's connection, tenant scoping, key batches and keyset paging, and every caller takes
/// the one reader from the container.
/// </remarks>
public sealed partial class TopologyReader(NpgsqlDataSource dataSource, SqlStatementCounter counter)
{
    private NpgsqlCommand Command(string sql, string tenant)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenant);
        counter.Increment();
        var command = dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("tenant", tenant);
        return command;
    }

    private async Task<IReadOnlyDictionary<string, T>> ReadByKeyAsync<T>(
        string sql, string tenant, IReadOnlyCollection<string> keys, Func<NpgsqlDataReader, T> read, Func<T, string> keyOf, CancellationToken cancellationToken)
    {
        var rows = new Dictionary<string, T>(StringComparer.Ordinal);
        if (keys.Count == 0)
        {
            return rows;
        }

        await using var command = Command(sql, tenant);
        command.Parameters.Add(TextArray("keys", keys));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = read(reader);
            rows[keyOf(row)] = row;
        }

        return rows;
    }

    private async Task<KeysetResult<T>> ReadPageAsync<T>(
        string select, string keyColumn, string tenant, KeysetPage page, Action<NpgsqlCommand> bind, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        var sql = new StringBuilder(select);
        if (page.After is not null)
        {
            sql.Append(" AND ").Append(keyColumn).Append(" > @after");
        }

        if (page.Before is not null)
        {
            sql.Append(" AND ").Append(keyColumn).Append(" < @before");
        }

        sql.Append(" ORDER BY ").Append(keyColumn).Append(page.FromEnd ? " DESC" : "").Append(" LIMIT @limit");
        await using var command = Command(sql.ToString(), tenant);
        bind(command);
        if (page.After is not null)
        {
            command.Parameters.AddWithValue("after", page.After);
        }

        if (page.Before is not null)
        {
            command.Parameters.AddWithValue("before", page.Before);
        }

        command.Parameters.AddWithValue("limit", page.Limit + 1);
        return await CollectPageAsync(command, page, read, cancellationToken);
    }

    private static async Task<KeysetResult<T>> CollectPageAsync<T>(NpgsqlCommand command, KeysetPage page, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        var rows = new List<T>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(read(reader));
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

        return new KeysetResult<T>(rows, hasMore);
    }

    private async Task<int> CountAsync(string sql, string tenant, Action<NpgsqlCommand> bind, CancellationToken cancellationToken)
    {
        await using var command = Command(sql, tenant);
        bind(command);
        return (int)(long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    // The keys of a batch, narrowed to devices of the scope's regions when there is one (by primary key, so a key
    // outside the scope costs the same as one that does not exist).
    private static string DeviceKeys(IReadOnlyCollection<string>? scope) => scope is null
        ? "unnest(@keys) k(device)"
        : "(SELECT s.device FROM devices s WHERE s.tenant = @tenant AND s.device = ANY(@keys) AND s.region = ANY(@f_scope)) k";

    private static void AddScope(NpgsqlCommand command, IReadOnlyCollection<string>? scope)
    {
        if (scope is not null)
        {
            command.Parameters.Add(TextArray("f_scope", scope));
        }
    }

    private static void AddIfSet(NpgsqlCommand command, string name, string? value)
    {
        if (value is not null)
        {
            command.Parameters.AddWithValue(name, value);
        }
    }

    private static NpgsqlParameter TextArray(string name, IReadOnlyCollection<string> values) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = values.Distinct(StringComparer.Ordinal).ToArray() };
}
