using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Pdsno.IntegrationTests.Infrastructure;

namespace Pdsno.IntegrationTests;

/// <summary>Runs on a PostgreSQL of its own, since it stops the server.</summary>
public sealed class DatabaseOutageTests : IAsyncLifetime
{
    // Always a private server, so the outage never touches a server the run was given.
    private readonly PostgresFixture _postgres = PostgresFixture.Private();

    public Task InitializeAsync() => _postgres.InitializeAsync();

    public Task DisposeAsync() => _postgres.DisposeAsync();

    [Fact]
    public async Task Losing_postgresql_makes_the_silo_not_ready_and_no_event_is_lost_when_it_returns()
    {
        var db = await _postgres.CreateDatabaseAsync();
        var q = new ReadModelQueries(db);
        await using var silo = SiloProcess.Start(db, new Dictionary<string, string>
        {
            ["Discovery:Interval"] = "00:00:01",
            ["Simulation:Devices"] = "12",
            ["Simulation:Regions"] = "1",
        });
        await silo.WaitReadyAsync();
        await Eventually.ValueAsync(() => q.ScalarAsync("SELECT count(*) FROM devices WHERE status = 'ACTIVE'"), n => n == 12, TimeSpan.FromSeconds(60), "12 active devices");

        // The device fails, and the database goes away while discovery is still counting its missed cycles.
        await silo.Http.PostAsync("/sandbox/devices/r1-acc-1/down", null);
        await Eventually.ValueAsync(() => q.TextAsync("SELECT status FROM devices WHERE name = 'r1-acc-1'"), s => s == "UNREACHABLE", TimeSpan.FromSeconds(30), "unreachable before the outage");
        await _postgres.StopServerAsync();
        await Eventually.ValueAsync(
            async () => (await silo.Http.GetAsync("/health/ready")).StatusCode,
            s => s == HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(20), "not ready while the database is gone");
        // The answer says what is wrong in PDSNO's words; the driver's message (addresses, socket errors) stays in the log.
        var ready = await (await silo.Http.GetAsync("/health/ready")).Content.ReadAsStringAsync();
        Assert.Contains("database unavailable", ready, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", ready, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await silo.Http.GetAsync("/health/live")).StatusCode);

        // A query meanwhile is told the truth, the same over and over: the database is unavailable, retry.
        foreach (var query in new[] { "{ devices(first: 5) { totalCount nodes { name } } }", "{ regions { nodes { key deviceCount } } }" })
        {
            using var content = new StringContent(new JsonObject { ["query"] = query }.ToJsonString(), Encoding.UTF8, "application/json");
            using var response = await silo.Http.PostAsync("/graphql", content);
            var text = await response.Content.ReadAsStringAsync();
            var errors = JsonNode.Parse(text)?["errors"]?.AsArray();
            Assert.True(errors is { Count: > 0 }, text);
            Assert.All(errors, e => Assert.Equal("UNAVAILABLE", e!["extensions"]!["code"]!.GetValue<string>()));
            Assert.Contains("database is unavailable", errors[0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        await Task.Delay(TimeSpan.FromSeconds(3));

        await _postgres.StartServerAsync();
        await silo.WaitReadyAsync(TimeSpan.FromSeconds(60));
        Assert.False(silo.HasExited);

        // Discovery resumes and the failure completes its walk, each transition recorded once and in order.
        await Eventually.ValueAsync(() => q.TextAsync("SELECT status FROM devices WHERE name = 'r1-acc-1'"), s => s == "INACTIVE", TimeSpan.FromSeconds(60), "inactive after the outage");
        var statusEvents = await q.EventsAsync("SELECT e.seq, e.type, e.old_value, e.new_value FROM events e JOIN devices d ON d.device = e.device WHERE d.name = 'r1-acc-1' AND e.type = 'DeviceStatusChanged' ORDER BY e.seq");
        Assert.Equal([("ACTIVE", "UNREACHABLE"), ("UNREACHABLE", "INACTIVE")], statusEvents.Select(e => (e.Old, e.New)).ToList());
    }
}
