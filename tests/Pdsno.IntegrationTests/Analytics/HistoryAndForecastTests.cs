using System.Text.Json.Nodes;
using Pdsno.IntegrationTests.Infrastructure;
using Pdsno.IntegrationTests.Security;

namespace Pdsno.IntegrationTests.Analytics;

/// <summary>
/// Backfilled history, utilization and forecasts on the real host, the silo running as a role of its own (so the
/// day partitions are made through the owner's function), with tokens of every role.
/// </summary>
[Collection(PostgresGroup.Name)]
public sealed class HistoryAndForecastTests(PostgresFixture postgres, SecuredSilo host) : IClassFixture<SecuredSilo>
{
    private const string Backfill = "mutation($input: BackfillHistoryInput) { backfillHistory(input: $input) { interfaces samples stepSeconds since until regions skippedRegions errors { code message field } } }";

    [Fact]
    public async Task A_backfill_fills_the_callers_regions_and_their_links_forecast_with_intervals_while_other_regions_say_they_lack_history()
    {
        await host.StartAsync(postgres, ownRole: true);
        var scoped = host.Token("operator@r1");
        var filled = (await host.DataAsync(scoped, Backfill, new JsonObject { ["input"] = new JsonObject { ["days"] = 14, ["stepSeconds"] = 900 } }))["backfillHistory"]!;
        Assert.Empty(filled["errors"]!.AsArray());
        Assert.Equal(["region-1"], filled["regions"]!.AsArray().Select(r => r!.GetValue<string>()));
        var interfaces = filled["interfaces"]!.GetValue<int>();
        Assert.True(interfaces > 10, $"{interfaces} interfaces");
        Assert.Equal(interfaces * 14L * 96, filled["samples"]!.GetValue<long>());

        // A link inside region-1: both ends are in the filled region.
        const string Links = "{ links(first: 100) { nodes { id key region { key } deviceA { region { key } } deviceB { region { key } } } } }";
        var links = (await host.DataAsync(host.Token("viewer"), Links))["links"]!["nodes"]!.AsArray().Select(l => l!).ToList();
        string Region(JsonNode l, string end) => l[end]!["region"]!["key"]!.GetValue<string>();
        var inside = links.First(l => Region(l, "deviceA") == "region-1" && Region(l, "deviceB") == "region-1");
        var elsewhere = links.First(l => Region(l, "deviceA") == "region-2" && Region(l, "deviceB") == "region-2");

        const string Forecast = """
            query($id: ID!, $since: DateTimeOffset!) { link(id: $id) {
              utilization(since: $since, step: 3600) { at aToBUtilization bToAUtilization aToBMaxBitsPerSecond }
              forecast(horizon: DAY) { horizon bucketSeconds threshold historyUntil runOutAt crossesAt
                aToB { points { at expected lower upper } crossesAt runOutAt } bToA { points { expected } } } } }
            """;
        var since = DateTimeOffset.UtcNow.AddDays(-2).ToString("O");
        var link = (await host.DataAsync(scoped, Forecast, new JsonObject { ["id"] = inside["id"]!.GetValue<string>(), ["since"] = since }))["link"]!;
        var hours = link["utilization"]!.AsArray();
        Assert.InRange(hours.Count, 47, 49);
        Assert.All(hours, h => Assert.InRange(h!["aToBUtilization"]!.GetValue<double>(), 0, 100));
        Assert.Contains(hours, h => h!["aToBUtilization"]!.GetValue<double>() > 1);

        var forecast = link["forecast"]!;
        Assert.Equal("DAY", forecast["horizon"]!.GetValue<string>());
        Assert.Equal(900, forecast["bucketSeconds"]!.GetValue<int>());
        Assert.Equal(80.0, forecast["threshold"]!.GetValue<double>());
        var points = forecast["aToB"]!["points"]!.AsArray();
        Assert.Equal(96, points.Count);
        Assert.Equal(96, forecast["bToA"]!["points"]!.AsArray().Count);
        Assert.All(points, p =>
        {
            var (lower, expected, upper) = (p!["lower"]!.GetValue<double>(), p["expected"]!.GetValue<double>(), p["upper"]!.GetValue<double>());
            Assert.True(lower <= expected && expected <= upper && upper - lower > 0.1, p.ToJsonString());
            Assert.InRange(expected, 0, 100);
        });

        // The other region was not filled: its links say how much history they have and how much a forecast needs.
        var (_, body) = await host.PostAsync(host.Token("viewer"), "query($id: ID!) { link(id: $id) { forecast { runOutAt } } }", new JsonObject { ["id"] = elsewhere["id"]!.GetValue<string>() });
        Assert.Equal(["INSUFFICIENT_HISTORY"], SecuredSilo.Codes(body));
        Assert.Contains("8 days", body!.ToJsonString(), StringComparison.Ordinal);

        // Nor does a token limited to region-1 reach it at all.
        (_, body) = await host.PostAsync(scoped, "query($id: ID!) { link(id: $id) { forecast { runOutAt } } }", new JsonObject { ["id"] = elsewhere["id"]!.GetValue<string>() });
        Assert.Equal(["NOT_FOUND"], SecuredSilo.Codes(body));
    }

    [Fact]
    public async Task Interface_history_answers_in_the_step_asked_and_bad_windows_and_inputs_are_named()
    {
        await host.StartAsync(postgres, ownRole: true);
        var admin = host.Token("admin");
        var filled = (await host.DataAsync(admin, Backfill, new JsonObject { ["input"] = new JsonObject { ["regionId"] = "region-2", ["days"] = 1, ["stepSeconds"] = 300 } }))["backfillHistory"]!;
        Assert.Empty(filled["errors"]!.AsArray());
        Assert.Equal(["region-2"], filled["regions"]!.AsArray().Select(r => r!.GetValue<string>()));

        const string History = "query($since: DateTimeOffset!, $step: Int) { devices(first: 1, filter: {regionId: \"region-2\"}) { nodes { interfaces { name utilization(since: $since, step: $step) { at inUtilization outUtilization inMaxBitsPerSecond outBitsPerSecond } } } } }";
        var since = DateTimeOffset.UtcNow.AddHours(-6).ToString("O");
        var device = (await host.DataAsync(admin, History, new JsonObject { ["since"] = since, ["step"] = 900 }))["devices"]!["nodes"]![0]!;
        var series = device["interfaces"]![0]!["utilization"]!.AsArray();
        Assert.InRange(series.Count, 23, 25);
        Assert.All(series, p => Assert.True(p!["inMaxBitsPerSecond"]!.GetValue<double>() >= 0));
        var times = series.Select(p => DateTimeOffset.Parse(p!["at"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.All(times.Zip(times.Skip(1)), pair => Assert.Equal(TimeSpan.FromMinutes(15), pair.Second - pair.First));

        // Without since, the window is the day before until (here: now).
        var lastDay = (await host.DataAsync(admin, "{ devices(first: 1, filter: {regionId: \"region-2\"}) { nodes { interfaces { utilization(step: 3600) { at } } } } }"))["devices"]!["nodes"]![0]!;
        Assert.InRange(lastDay["interfaces"]![0]!["utilization"]!.AsArray().Count, 23, 25);

        // Each interface's field fails alone, naming the argument.
        var (_, body) = await host.PostAsync(admin, History, new JsonObject { ["since"] = DateTimeOffset.UtcNow.AddDays(-30).ToString("O"), ["step"] = 60 });
        Assert.NotEmpty(SecuredSilo.Codes(body));
        Assert.All(SecuredSilo.Codes(body), code => Assert.Equal("BAD_USER_INPUT", code));
        Assert.Contains("more than 2000", body!.ToJsonString(), StringComparison.Ordinal);
        (_, body) = await host.PostAsync(admin, History, new JsonObject { ["since"] = DateTimeOffset.UtcNow.AddDays(1).ToString("O") });
        Assert.Contains("must be before until", body!.ToJsonString(), StringComparison.Ordinal);

        foreach (var (input, field) in new[]
        {
            (new JsonObject { ["days"] = 0 }, "days"),
            (new JsonObject { ["days"] = 43 }, "days"),
            (new JsonObject { ["stepSeconds"] = 7 }, "stepSeconds"),
            (new JsonObject { ["stepSeconds"] = 600 }, "stepSeconds"),
        })
        {
            var refused = (await host.DataAsync(admin, Backfill, new JsonObject { ["input"] = input }))["backfillHistory"]!;
            Assert.Equal("BAD_USER_INPUT", refused["errors"]![0]!["code"]!.GetValue<string>());
            Assert.Equal(["input", field], refused["errors"]![0]!["field"]!.AsArray().Select(f => f!.GetValue<string>()));
            Assert.Null(refused["samples"]);
        }

        var outside = (await host.DataAsync(host.Token("operator@r1"), Backfill, new JsonObject { ["input"] = new JsonObject { ["regionId"] = "region-2" } }))["backfillHistory"]!;
        Assert.Equal("NOT_FOUND", outside["errors"]![0]!["code"]!.GetValue<string>());
    }
}
