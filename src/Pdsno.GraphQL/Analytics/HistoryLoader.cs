using GraphQL;
using GraphQL.DataLoader;
using Microsoft.Extensions.DependencyInjection;
using Pdsno.GraphQL.Loading;
using Pdsno.Storage.Telemetry;

namespace Pdsno.GraphQL.Analytics;

/// <summary>The history of one interface over one window in one bucket size: the key of <see cref="HistoryLoader"/>.</summary>
public readonly record struct HistoryKey(string Device, string Interface, DateTimeOffset Since, DateTimeOffset Until, TimeSpan Bucket);

/// <summary>
/// Reads interface history for a request: every field asking for the same window and bucket in one execution step
/// shares one statement, so a page of links with their utilization costs one read, not one per link.
/// </summary>
public sealed class HistoryLoader
{
    private const string ContextKey = "pdsno.history";
    private readonly BatchLoader<HistoryKey, IReadOnlyList<HistoryPoint>> _loader;

    private HistoryLoader(InterfaceHistoryStore store, string tenant)
    {
        _loader = new(
            async (keys, ct) =>
            {
                var reads = keys.GroupBy(k => (k.Since, k.Until, k.Bucket)).Select(async g =>
                {
                    var rows = await store.ReadAsync(tenant, [.. g.Select(k => (k.Device, k.Interface)).Distinct()], g.Key.Since, g.Key.Until, g.Key.Bucket, ct);
                    return g.Select(k => (k, rows.GetValueOrDefault((k.Device, k.Interface)) ?? []));
                });
                return (await Task.WhenAll(reads)).SelectMany(x => x).ToDictionary(x => x.k, x => x.Item2);
            },
            []);
    }

    /// <summary>The pending history of <paramref name="key"/>.</summary>
    public IDataLoaderResult<IReadOnlyList<HistoryPoint>> Load(HistoryKey key) => _loader.Load(key);

    /// <summary>The loader of the request <paramref name="context"/> belongs to, created on first use.</summary>
    public static HistoryLoader For(IResolveFieldContext context) =>
        context.RequestScoped(ContextKey, (services, caller) => new HistoryLoader(services.GetRequiredService<InterfaceHistoryStore>(), caller.Tenant));
}
