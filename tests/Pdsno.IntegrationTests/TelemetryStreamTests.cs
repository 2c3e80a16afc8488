using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Pdsno.Abstractions;
using Pdsno.Abstractions.Devices;
using Pdsno.Abstractions.Discovery;
using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Ids;
using Pdsno.Abstractions.Security;
using Pdsno.IntegrationTests.Api;
using Pdsno.IntegrationTests.Infrastructure;

namespace Pdsno.IntegrationTests;

/// <summary>
/// Counter readings travel on the device's telemetry stream: a client holding the cluster certificate (an agent) that
/// publishes there feeds the device grain. It never acts as the system.
/// </summary>
[Collection(PostgresGroup.Name)]
public sealed class TelemetryStreamTests(PostgresFixture postgres)
{
    [Fact]
    public async Task A_reading_published_on_a_devices_telemetry_stream_reaches_its_window_and_its_utilization_rule()
    {
        var db = await postgres.CreateDatabaseAsync();
        var q = new ReadModelQueries(db);
        var gateway = SiloProcess.FreePort();
        var folder = Directory.CreateTempSubdirectory("pdsno-telemetry-");
        var (certificate, tls) = ClusterClients.CreateCertificate(folder.FullName);
        await using var silo = SiloProcess.Start(db, new Dictionary<string, string>(tls)
        {
            ["Orleans:GatewayPort"] = gateway.ToString(),
            // Discovery polls rarely here, so the readings the test publishes are the only recent ones.
            ["Discovery:Interval"] = "00:10:00",
            ["Simulation:Devices"] = "4",
            ["Simulation:Regions"] = "1",
            ["Simulation:Seed"] = "3",
        });
        await silo.WaitReadyAsync();
        await Eventually.ValueAsync(() => q.ScalarAsync("SELECT count(*) FROM devices WHERE status = 'ACTIVE'"), n => n == 4, TimeSpan.FromSeconds(60), "4 active devices");
        var device = new DeviceId("default", (await q.TextAsync("SELECT device FROM devices ORDER BY device LIMIT 1"))!);
        var iface = (await q.TextAsync("SELECT name FROM interfaces WHERE device = $1 AND speed_bps > 0 ORDER BY if_index LIMIT 1", device.Device))!;
        var speed = await q.ScalarAsync("SELECT speed_bps FROM interfaces WHERE device = $1 AND name = $2", device.Device, iface);

        using var client = ClusterClients.Create(gateway, certificate, certificate);
        await client.StartAsync();
        var grains = client.Services.GetRequiredService<IClusterClient>();
        var stream = grains.GetStreamProvider(PdsnoStreams.TelemetryProvider)
            .GetStream<TelemetryReading>(StreamId.Create(PdsnoStreams.Telemetry, device.ToString()));

        // Two readings a second apart whose outgoing counter moved by the interface's full speed: 100 %.
        var at = DateTimeOffset.UtcNow;
        var octetsPerSecond = (ulong)(speed / 8);
        await stream.OnNextAsync(Reading(at, iface, 1_000, speed));
        await stream.OnNextAsync(Reading(at.AddSeconds(1), iface, 1_000 + octetsPerSecond, speed));

        var high = await Eventually.ValueAsync(
            () => q.EventsAsync("SELECT seq, type, old_value, new_value FROM events WHERE device = $1 AND type = 'InterfaceUtilizationHigh'", device.Device),
            e => e.Count == 1, TimeSpan.FromSeconds(20), "InterfaceUtilizationHigh from the published readings");
        Assert.Equal("100", high[0].New);
        // The window is read through the API, with a token.
        var data = await GraphQLHttp.PostAsync(silo.Http, "query($id: ID!) { device(id: $id) { recentTelemetry { interface outBitsPerSecond } } }", new JsonObject { ["id"] = device.Device });
        Assert.Contains(data["device"]!["recentTelemetry"]!.AsArray(), s => (string?)s!["interface"] == iface && (double?)s["outBitsPerSecond"] == speed);

        // The client holds the cluster certificate, yet the system caller it claims is refused.
        using (CallerContext.AsSystem())
        {
            await Assert.ThrowsAsync<UnauthorizedAccessException>(() => grains.GetGrain<IDeviceGrain>(device.ToString()).GetTelemetryAsync());
        }

        await client.StopAsync();
        folder.Delete(recursive: true);
    }

    private static TelemetryReading Reading(DateTimeOffset at, string iface, ulong outOctets, long speed) =>
        new(at, null, [new InterfaceObservation(1, iface, "", speed, AdminStatus.Up, OperStatus.Up, 0, outOctets, 0, 0)]);
}
