using System.Globalization;
using System.Text.Json.Nodes;
using Pdsno.IntegrationTests.Infrastructure;
using Pdsno.IntegrationTests.Security;

namespace Pdsno.IntegrationTests.Analytics;

/// <summary>
/// Discovery of the simulated network writes each interface's minutes into the history on a real silo (running as a
/// role of its own, so the day partitions come from the owner's function), and GraphQL serves them.
/// </summary>
[Collection(PostgresGroup.Name)]
public sealed class LiveHistoryTests(PostgresFixture postgres, SecuredSilo host) : IClassFixture<SecuredSilo>
{
    [Fact]
    public async Task Discovery_writes_minutes_with_average_and_highest_in_batches_and_utilization_serves_them()
    {
        await host.StartAsync(postgres, new Dictionary<string, string> { ["Analytics:HistoryFlushInterval"] = "00:00:02" }, ownRole: true);
        var q = new ReadModelQueries(host.OwnerConnectionString);

        // Minutes close once a reading of the next minute arrives, and are written at the next flush.
        await Eventually.ValueAsync(() => q.ScalarAsync("SELECT count(DISTINCT at) FROM interface_samples WHERE out_bps > 0"), n => n >= 2, TimeSpan.FromSeconds(150), "two minutes of live history");
        Assert.Equal(0, await q.ScalarAsync("SELECT count(*) FROM interface_samples WHERE step_s <> 60 OR in_max_bps IS NULL OR in_max_bps < in_bps OR out_max_bps < out_bps OR extract(second FROM at) <> 0"));
        Assert.Equal(0, await q.ScalarAsync("SELECT count(*) FROM interface_samples s JOIN interfaces i ON i.tenant = s.tenant AND i.device = s.device AND i.name = s.interface WHERE s.out_bps > i.speed_bps * 1.05"));

        // Each interface has at most one row a minute, however many readings the minute had (one a second here).
        Assert.Equal(0, await q.ScalarAsync("SELECT count(*) FROM (SELECT 1 FROM interface_samples GROUP BY tenant, device, interface, at HAVING count(*) > 1) d"));
        var interfacesWritten = await q.ScalarAsync("SELECT count(DISTINCT (device, interface)) FROM interface_samples");
        Assert.True(interfacesWritten > 30, $"{interfacesWritten} interfaces written");

        const string History = """
            query($since: DateTimeOffset!) {
              links(first: 5, filter: {regionId: "region-1"}) { nodes { key speedBps
                utilization(since: $since, step: 60) { at aToBBitsPerSecond aToBMaxBitsPerSecond aToBUtilization } } }
              devices(first: 3, filter: {regionId: "region-1"}) { nodes { interfaces { name utilization(since: $since, step: 60) { at inBitsPerSecond inMaxBitsPerSecond outBitsPerSecond outMaxBitsPerSecond } } } } }
            """;
        var since = DateTimeOffset.UtcNow.AddMinutes(-15).ToString("O");
        var data = await host.DataAsync(host.Token("viewer"), History, new JsonObject { ["since"] = since });
        var links = data["links"]!["nodes"]!.AsArray();
        Assert.NotEmpty(links);
        var linkPoints = links.SelectMany(l => l!["utilization"]!.AsArray()).ToList();
        Assert.NotEmpty(linkPoints);
        Assert.Contains(linkPoints, p => p!["aToBBitsPerSecond"]!.GetValue<double>() > 0);
        Assert.All(linkPoints, p =>
        {
            Assert.True(p!["aToBMaxBitsPerSecond"]!.GetValue<double>() >= p["aToBBitsPerSecond"]!.GetValue<double>());
            Assert.InRange(p["aToBUtilization"]!.GetValue<double>(), 0, 105);
            Assert.Equal(0, DateTimeOffset.Parse(p["at"]!.GetValue<string>(), CultureInfo.InvariantCulture).Second);
        });

        var interfacePoints = data["devices"]!["nodes"]!.AsArray().SelectMany(d => d!["interfaces"]!.AsArray()).SelectMany(i => i!["utilization"]!.AsArray()).ToList();
        Assert.Contains(interfacePoints, p => p!["outBitsPerSecond"]!.GetValue<double>() > 0);
        Assert.All(interfacePoints, p => Assert.True(p!["outMaxBitsPerSecond"]!.GetValue<double>() >= p["outBitsPerSecond"]!.GetValue<double>()));
    }
}
