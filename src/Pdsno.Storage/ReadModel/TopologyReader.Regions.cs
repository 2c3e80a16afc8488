using Npgsql;

namespace Pdsno.Storage.ReadModel;

// Regions: the regions table.
public sealed partial class TopologyReader
{
    private const string RegionColumns = "r.region, coalesce(r.name, r.region), r.policy_version, r.created_at, r.updated_at";

    /// <summary>One region, or null when the tenant has no such region.</summary>
    public async Task<RegionRecord?> GetRegionAsync(string tenant, string region, CancellationToken cancellationToken = default)
    {
        var found = await GetRegionsAsync(tenant, [region], cancellationToken);
        return found.GetValueOrDefault(region);
    }

    /// <summary>The regions among <paramref name="regions"/> that exist, by key.</summary>
    public Task<IReadOnlyDictionary<string, RegionRecord>> GetRegionsAsync(string tenant, IReadOnlyCollection<string> regions, CancellationToken cancellationToken = default) =>
        ReadByKeyAsync(
            $"SELECT {RegionColumns} FROM regions r WHERE r.tenant = @tenant AND r.region = ANY(@keys)",
            tenant, regions, ReadRegion, r => r.Key, cancellationToken);

    /// <summary>A keyset page of the tenant's regions (only <paramref name="scope"/>'s when set), ordered by key.</summary>
    public Task<KeysetResult<RegionRecord>> ReadRegionsPageAsync(string tenant, KeysetPage page, IReadOnlyCollection<string>? scope = null, CancellationToken cancellationToken = default) =>
        ReadPageAsync($"SELECT {RegionColumns} FROM regions r WHERE r.tenant = @tenant{RegionScope(scope)}", "r.region", tenant, page, c => AddScope(c, scope), ReadRegion, cancellationToken);

    /// <summary>How many regions the tenant has (of <paramref name="scope"/> when set).</summary>
    public Task<int> CountRegionsAsync(string tenant, IReadOnlyCollection<string>? scope = null, CancellationToken cancellationToken = default) =>
        CountAsync($"SELECT count(*) FROM regions r WHERE r.tenant = @tenant{RegionScope(scope)}", tenant, c => AddScope(c, scope), cancellationToken);

    private static string RegionScope(IReadOnlyCollection<string>? scope) => scope is null ? "" : " AND r.region = ANY(@f_scope)";

    private static RegionRecord ReadRegion(NpgsqlDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetFieldValue<DateTimeOffset>(3), r.GetFieldValue<DateTimeOffset>(4));
}
