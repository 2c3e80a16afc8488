using Pdsno.IntegrationTests.Security;

namespace Pdsno.IntegrationTests.Intents;

/// <summary>Ends for intents on the simulated network: two ACTIVE devices two hops apart, read from its UP links.</summary>
internal static class FarApart
{
    /// <summary>
    /// A device with a device two hops away that is not its neighbour, and that device; <paramref name="which"/> picks
    /// another start (in key order), so the intents of different tests do not share routes. With
    /// <paramref name="region"/>, only links within that region count.
    /// </summary>
    public static async Task<(string A, string B)> PickAsync(SecuredSilo host, int which = 0, string? region = null)
    {
        var links = (await host.DataAsync(host.Token("viewer"), "{ links(first: 200, filter: {status: UP}) { nodes { deviceAKey deviceBKey deviceA { region { key } } deviceB { region { key } } } } }"))["links"]!["nodes"]!.AsArray();
        var neighbours = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var l in links.Where(l => region is null || ((string?)l!["deviceA"]!["region"]!["key"] == region && (string?)l["deviceB"]!["region"]!["key"] == region)))
        {
            var (x, y) = (l!["deviceAKey"]!.GetValue<string>(), l["deviceBKey"]!.GetValue<string>());
            (neighbours.TryGetValue(x, out var nx) ? nx : neighbours[x] = []).Add(y);
            (neighbours.TryGetValue(y, out var ny) ? ny : neighbours[y] = []).Add(x);
        }

        var start = neighbours.Keys.Order(StringComparer.Ordinal).Where(d => neighbours[d].SelectMany(n => neighbours[n]).Any(x => x != d && !neighbours[d].Contains(x))).ElementAt(which);
        var far = neighbours[start].SelectMany(n => neighbours[n]).First(d => d != start && !neighbours[start].Contains(d));
        return (start, far);
    }
}
