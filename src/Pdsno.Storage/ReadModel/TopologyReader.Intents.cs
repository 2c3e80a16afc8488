using Npgsql;
using Pdsno.Abstractions.Intents;

namespace Pdsno.Storage.ReadModel;

// Intents: the intents table, by key and by filter, ordered by key. Its filter columns are the changes table's (status,
// regions, devices) plus the kind, so the table takes the same alias and the same conditions.
public sealed partial class TopologyReader
{
    /// <summary>The intents among <paramref name="intents"/> that exist, by key; the caller keeps to its regions.</summary>
    public Task<IReadOnlyDictionary<string, IntentRecord>> GetIntentsAsync(string tenant, IReadOnlyCollection<string> intents, CancellationToken cancellationToken = default) =>
        ReadByKeyAsync(
            "SELECT c.intent, c.document::text FROM intents c WHERE c.tenant = @tenant AND c.intent = ANY(@keys)",
            tenant, intents, ReadIntent, i => i.Key, cancellationToken);

    /// <summary>A keyset page of the intents matching <paramref name="query"/>, ordered by key.</summary>
    public Task<KeysetResult<IntentRecord>> ReadIntentsPageAsync(string tenant, IntentQuery query, KeysetPage page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var (where, bind) = IntentWhere(query);
        return ReadPageAsync($"SELECT c.intent, c.document::text FROM intents c WHERE c.tenant = @tenant{where}", "c.intent", tenant, page, bind, ReadIntent, cancellationToken);
    }

    /// <summary>How many intents match <paramref name="query"/>.</summary>
    public Task<int> CountIntentsAsync(string tenant, IntentQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var (where, bind) = IntentWhere(query);
        return CountAsync($"SELECT count(*) FROM intents c WHERE c.tenant = @tenant{where}", tenant, bind, cancellationToken);
    }

    private static (string Where, Action<NpgsqlCommand> Bind) IntentWhere(IntentQuery query)
    {
        var (where, bind) = ChangeWhere(new ChangeQuery(query.Status, query.Region, query.Device, query.Scope));
        if (query.Kind is null)
        {
            return (where, bind);
        }

        return (where + " AND c.kind = @f_kind", command =>
        {
            bind(command);
            command.Parameters.AddWithValue("f_kind", query.Kind);
        });
    }

    private static IntentRecord ReadIntent(NpgsqlDataReader r) => new(r.GetString(0), IntentDocument.Deserialize(r.GetString(1)));
}
