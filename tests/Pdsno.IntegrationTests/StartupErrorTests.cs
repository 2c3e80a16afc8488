using System.Net;
using System.Net.Sockets;
using Pdsno.IntegrationTests.Infrastructure;

namespace Pdsno.IntegrationTests;

[Collection(PostgresGroup.Name)]
public sealed class StartupErrorTests(PostgresFixture postgres)
{
    public static TheoryData<string, string, string> BadSettings => new()
    {
        { "Discovery:Interval", "-00:00:05", "Discovery:Interval" },
        { "Discovery:Driver", "telepathy", "Discovery:Driver 'telepathy' is not a known driver" },
        { "Discovery:MissedCyclesUntilInactive", "0", "Discovery:MissedCyclesUntilInactive" },
        { "Simulation:Regions", "500", "Simulation:Regions" },
        { "Simulation:Import", "NoSuchNetwork", "Simulation:Import 'NoSuchNetwork'" },
        { "Orleans:SiloPort", "70000", "Orleans:SiloPort" },
        { "Telemetry:ThresholdPercent", "150", "Telemetry:ThresholdPercent is 150" },
        { "Discovery:Driver", "snmp", "Discovery:Snmp:Community is not set" },
        { "Simulation:Limits:MaxNodesPerImport", "0", "Simulation:Limits:MaxNodesPerImport is 0" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task A_bad_setting_stops_the_start_with_a_message_naming_it(string key, string value, string expected)
    {
        await using var silo = SiloProcess.Start("Host=127.0.0.1;Port=1;Username=x;Password=x;Database=x", new Dictionary<string, string> { [key] = value });
        var code = await silo.WaitExitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(2, code);
        Assert.Contains(expected, silo.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", silo.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_connection_string_is_named()
    {
        await using var silo = SiloProcess.Start(null);
        Assert.Equal(2, await silo.WaitExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("ConnectionStrings:Pdsno is not set", silo.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_silo_port_in_use_is_named()
    {
        using var blocker = new TcpListener(IPAddress.Loopback, 0);
        blocker.Start();
        var port = ((IPEndPoint)blocker.LocalEndpoint).Port;
        await using var silo = SiloProcess.Start(await postgres.CreateDatabaseAsync(), siloPort: port);
        Assert.Equal(2, await silo.WaitExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains($"Orleans:SiloPort {port}", silo.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreachable_postgresql_is_a_clear_error_and_a_non_zero_exit()
    {
        var closedPort = SiloProcess.FreePort();
        await using var silo = SiloProcess.Start($"Host=127.0.0.1;Port={closedPort};Username=pdsno;Password=x;Database=pdsno;Timeout=2");
        var code = await silo.WaitExitAsync(TimeSpan.FromSeconds(90));
        Assert.NotEqual(0, code);
        Assert.Contains($"PostgreSQL at 127.0.0.1:{closedPort}", silo.Output, StringComparison.Ordinal);
        Assert.Contains("is not reachable", silo.Output, StringComparison.Ordinal);
    }
}
