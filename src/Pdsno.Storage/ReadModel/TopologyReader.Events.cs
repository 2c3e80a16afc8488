using System.Text;
using Npgsql;
using Pdsno.Abstractions.Events;

namespace Pdsno.Storage.ReadModel;

// Events: the event log, paged by sequence.
public sealed partial class TopologyReader
{
    private const string EventColumns = "e.seq, e.type, e.region, e.device, e.interface, e.link, e.old_value, e.new_value, e.occurred_at, e.actor, e.aggregate_id";

    /// <summary>Up to <paramref name="max"/> events matching <paramref name="query"/> (after its <c>Since</c>), in sequence order.</summary>
    public async Task<IReadOnlyList<EventRecord>> ReadEventsAsync(string tenant, EventQuery query, int max, CancellationToken cancellationToken = default)
    {
        var page = await ReadEventsPageAsync(tenant, query, new KeysetPage(max), cancellationToken);
        return page.Rows;
    }

    /// <summary>A keyset page of the events matching <paramref name="query"/>, in sequence order; page keys are sequences.</summary>
    public async Task<KeysetResult<EventRecord>> ReadEventsPageAsync(string tenant, EventQuery query, KeysetPage page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(page);
        var (where, bind) = EventWhere(query);
        var sql = new StringBuilder($"SELECT {EventColumns} FROM events e WHERE e.tenant = @tenant{where}");
        if (page.After is not null)
        {
            sql.Append(" AND e.seq > @after");
        }

        if (page.Before is not null)
        {
            sql.Append(" AND e.seq < @before");
        }

        sql.Append(page.FromEnd ? " ORDER BY e.seq DESC" : " ORDER BY e.seq").Append(" LIMIT @limit");
        await using var command = Command(sql.ToString(), tenant);
        bind(command);
        if (page.After is not null)
        {
            command.Parameters.AddWithValue("after", long.Parse(page.After));
        }

        if (page.Before is not null)
        {
            command.Parameters.AddWithValue("before", long.Parse(page.Before));
        }

        command.Parameters.AddWithValue("limit", page.Limit + 1);
        return await CollectPageAsync(command, page, ReadEvent, cancellationToken);
    }

    /// <summary>How many events match <paramref name="query"/>.</summary>
    public Task<int> CountEventsAsync(string tenant, EventQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var (where, bind) = EventWhere(query);
        return CountAsync($"SELECT count(*) FROM events e WHERE e.tenant = @tenant{where}", tenant, bind, cancellationToken);
    }

    private static (string Where, Action<NpgsqlCommand> Bind) EventWhere(EventQuery query)
    {
        var where = new StringBuilder(" AND e.seq > @f_since");
        if (query.Types is { Count: > 0 })
        {
            where.Append(" AND e.type = ANY(@f_types)");
        }

        if (query.Region is not null)
        {
            where.Append(" AND e.region = @f_region");
        }

        if (query.Device is not null)
        {
            where.Append(" AND e.device = @f_device");
        }

        if (query.Aggregate is not null)
        {
            where.Append(" AND e.aggregate_id = @f_aggregate");
        }

        if (query.Scope is not null)
        {
            where.Append(" AND e.region = ANY(@f_scope)");
        }

        if (query.HiddenTypes is { Count: > 0 })
        {
            where.Append(" AND e.type <> ALL(@f_hidden)");
        }

        if (query.Until is not null)
        {
            where.Append(" AND e.seq <= @f_until");
        }

        if (query.OccurredFrom is not null)
        {
            where.Append(" AND e.occurred_at >= @f_from");
        }

        if (query.OccurredTo is not null)
        {
            where.Append(" AND e.occurred_at < @f_to");
        }

        return (where.ToString(), command =>
        {
            AddScope(command, query.Scope);
            if (query.HiddenTypes is { Count: > 0 })
            {
                command.Parameters.Add(TextArray("f_hidden", query.HiddenTypes));
            }

            command.Parameters.AddWithValue("f_since", query.Since);
            if (query.Types is { Count: > 0 })
            {
                command.Parameters.Add(TextArray("f_types", query.Types));
            }

            if (query.Until is { } until)
            {
                command.Parameters.AddWithValue("f_until", until);
            }

            AddIfSet(command, "f_region", query.Region);
            AddIfSet(command, "f_device", query.Device);
            AddIfSet(command, "f_aggregate", query.Aggregate);
            if (query.OccurredFrom is { } from)
            {
                command.Parameters.AddWithValue("f_from", from.UtcDateTime);
            }

            if (query.OccurredTo is { } to)
            {
                command.Parameters.AddWithValue("f_to", to.UtcDateTime);
            }
        });
    }

    private static EventRecord ReadEvent(NpgsqlDataReader r) =>
        new(
            r.GetInt64(0),
            Enum.Parse<TopologyEventType>(r.GetString(1), ignoreCase: true),
            r.IsDBNull(2) ? null : r.GetString(2),
            r.IsDBNull(3) ? null : r.GetString(3),
            r.IsDBNull(4) ? null : r.GetString(4),
            r.IsDBNull(5) ? null : r.GetString(5),
            r.IsDBNull(6) ? null : r.GetString(6),
            r.IsDBNull(7) ? null : r.GetString(7),
            r.GetFieldValue<DateTimeOffset>(8),
            r.IsDBNull(9) ? null : r.GetString(9),
            r.IsDBNull(10) ? null : r.GetString(10));
}
