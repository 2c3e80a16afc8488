using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Pdsno.Abstractions.Config;
using Pdsno.Discovery.Config;
using Pdsno.IntegrationTests.Infrastructure;
using Pdsno.Storage.Config;
using Pdsno.Storage.Migrations;

namespace Pdsno.IntegrationTests.Lab;

/// <summary>The ssh config driver against the lab's real namespaces: sshd, ip, files, snmpd; host keys pinned in PostgreSQL.</summary>
[Collection(LabGroup.Name)]
public sealed class SshConfigDriverTests(PostgresFixture postgres, LabFixture lab)
{
    public const string ClientKey = "/run/pdsno-lab/ssh/id_ed25519";

    [Fact]
    public async Task A_whole_config_is_applied_read_back_equal_and_restored_without_touching_the_machine()
    {
        var hostFiles = (File.ReadAllText("/etc/hostname"), File.ReadAllText("/etc/resolv.conf"), System.Net.Dns.GetHostName());
        var (driver, _) = await DriverAsync();
        var target = Target("lab2");
        var before = await driver.ReadAsync(target, CancellationToken.None);
        Assert.Equal("lab2", before.Hostname);
        Assert.Equal("PDSNO lab, rack 2, netns pdsno-lab2", before.Location);
        Assert.Equal(["eth1", "eth2", "mgmt0"], before.Interfaces.Select(i => i.Name));
        Assert.All(before.Interfaces, i => Assert.True(i.Enabled));

        var eth2 = before.Interface("eth2")!;
        var peer = PeerAddress("lab2", "eth2");
        var desired = before with
        {
            Hostname = "core-2",
            Location = "Row 3, \"cage\" 7",
            Contact = "noc@example.net",
            DnsServers = ["192.0.2.53", "192.0.2.54"],
            NtpServers = ["ntp1.example.net", "192.0.2.123"],
            Interfaces = [before.Interface("eth1")! with { Enabled = false }, eth2 with { Mtu = 1400, Description = "uplink to lab3" }, before.Interface("mgmt0")!],
            Routes = [new StaticRoute("10.99.0.0/24", peer, Metric: 10), new StaticRoute("10.98.0.0/16", "100.65.9.9", "eth2", 5)],
        };
        try
        {
            await driver.ApplyAsync(target, desired, CancellationToken.None);
            var after = await driver.ReadAsync(target, CancellationToken.None);
            Assert.Equal(desired.ToJson(), after.ToJson());

            // The device's own snmpd reports the new identity, so discovery sees the device under its new name.
            Assert.Equal("core-2", await SnmpGetAsync("100.64.0.11", "1.3.6.1.2.1.1.5.0"));
            Assert.Equal("Row 3, \"cage\" 7", await SnmpGetAsync("100.64.0.11", "1.3.6.1.2.1.1.6.0"));
            Assert.Equal("core-2", (await LabFixture.LabAsync(TimeSpan.FromSeconds(10), "exec", "lab2", "hostname")).Trim());

            // Applying the same config again changes nothing; removing a route removes only that route.
            await driver.ApplyAsync(target, desired, CancellationToken.None);
            var oneRoute = desired with { Routes = [desired.Routes[1]] };
            await driver.ApplyAsync(target, oneRoute, CancellationToken.None);
            Assert.Equal(oneRoute.ToJson(), (await driver.ReadAsync(target, CancellationToken.None)).ToJson());
        }
        finally
        {
            await driver.ApplyAsync(target, before, CancellationToken.None);
        }

        Assert.Equal(before.ToJson(), (await driver.ReadAsync(target, CancellationToken.None)).ToJson());
        Assert.Equal("lab2", await SnmpGetAsync("100.64.0.11", "1.3.6.1.2.1.1.5.0"));
        Assert.Equal(hostFiles, (File.ReadAllText("/etc/hostname"), File.ReadAllText("/etc/resolv.conf"), System.Net.Dns.GetHostName()));
    }

    [Fact]
    public async Task The_host_key_is_pinned_on_first_contact_and_a_different_one_is_refused()
    {
        var (driver, store) = await DriverAsync();
        await driver.ReadAsync(Target("lab3"), CancellationToken.None);
        var keygen = await RunAsync("ssh-keygen", "-l", "-E", "sha256", "-f", "/run/pdsno-lab/lab3/ssh_host_ed25519_key.pub");
        var expected = keygen.Split(' ')[1];
        Assert.Equal(expected, await store.FindAsync("t", "dev-lab3", CancellationToken.None));

        // Another device's record pinned with a key it does not have: the connection is refused, naming both.
        const string Wrong = "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        Assert.Equal(Wrong, await store.PinAsync("t", "dev-lab4", "100.64.0.13", Wrong, CancellationToken.None));
        var error = await Assert.ThrowsAsync<ConfigDriverException>(() => driver.ReadAsync(Target("lab4"), CancellationToken.None));
        Assert.Contains("lab/lab4", error.Message, StringComparison.Ordinal);
        Assert.Contains("pinned " + Wrong, error.Message, StringComparison.Ordinal);
        var real = (await RunAsync("ssh-keygen", "-l", "-E", "sha256", "-f", "/run/pdsno-lab/lab4/ssh_host_ed25519_key.pub")).Split(' ')[1];
        Assert.Contains("presented " + real, error.Message, StringComparison.Ordinal);

        // The first pin stays: a second writer gets the first one back.
        Assert.Equal(expected, await store.PinAsync("t", "dev-lab3", "100.64.0.12", Wrong, CancellationToken.None));
    }

    [Fact]
    public async Task Shell_syntax_in_a_description_is_stored_literally_and_never_runs()
    {
        var marker = "/tmp/pdsno-quoting-" + Guid.NewGuid().ToString("n");
        var evil = $"it's \"quoted\" $(touch {marker}) `touch {marker}`; touch {marker}\nsecond line \\n '";
        var (driver, _) = await DriverAsync();
        var target = Target("lab1");
        var before = await driver.ReadAsync(target, CancellationToken.None);
        var desired = before with { Interfaces = [.. before.Interfaces.Select(i => i.Name == "eth1" ? i with { Description = evil } : i)] };
        try
        {
            await driver.ApplyAsync(target, desired, CancellationToken.None);
            Assert.Equal(evil, (await driver.ReadAsync(target, CancellationToken.None)).Interface("eth1")!.Description);
            Assert.False(File.Exists(marker), "a command in the description ran");
        }
        finally
        {
            await driver.ApplyAsync(target, before, CancellationToken.None);
        }

        // What cannot be stored is refused before anything runs, naming the device and the field.
        var bad = before with { Location = "two\nlines", Interfaces = [.. before.Interfaces.Select(i => i with { Name = i.Name == "eth1" ? "eth1;reboot" : i.Name })] };
        var error = await Assert.ThrowsAsync<ConfigDriverException>(() => driver.ApplyAsync(target, bad, CancellationToken.None));
        Assert.Contains("lab/lab1", error.Message, StringComparison.Ordinal);
        Assert.Contains("location must be one line", error.Message, StringComparison.Ordinal);
        Assert.Contains("'eth1;reboot' is not a Linux interface name", error.Message, StringComparison.Ordinal);
        Assert.Equal(before.ToJson(), (await driver.ReadAsync(target, CancellationToken.None)).ToJson());
    }

    [Fact]
    public async Task The_management_interface_is_never_disabled_and_a_cancelled_apply_stops()
    {
        var (driver, _) = await DriverAsync();
        var target = Target("lab4");
        var before = await driver.ReadAsync(target, CancellationToken.None);
        var cutOff = before with { Interfaces = [.. before.Interfaces.Select(i => i.Name == "mgmt0" ? i with { Enabled = false } : i)] };
        var error = await Assert.ThrowsAsync<ConfigDriverException>(() => driver.ApplyAsync(target, cutOff, CancellationToken.None));
        Assert.Contains("mgmt0 carries the management address", error.Message, StringComparison.Ordinal);

        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => driver.ApplyAsync(target, before with { Hostname = "never" }, cancelled.Token));
        Assert.Equal("lab4", (await driver.ReadAsync(target, CancellationToken.None)).Hostname);
    }

    [Fact]
    public async Task A_connection_the_device_dropped_is_replaced_on_the_next_call()
    {
        var (driver, _) = await DriverAsync();
        var target = Target("lab1");
        var before = await driver.ReadAsync(target, CancellationToken.None);

        // Restarting the device's daemons kills its sshd and the session the driver keeps for the next call.
        await LabFixture.LabAsync(TimeSpan.FromSeconds(60), "restart", "lab1");

        Assert.Equal(before.ToJson(), (await driver.ReadAsync(target, CancellationToken.None)).ToJson());
    }

    /// <summary>A driver logging in with the lab's client key, pinning host keys in a fresh migrated database.</summary>
    internal static async Task<(SshConfigDriver Driver, PostgresSshHostKeyStore Store)> DriverAsync(PostgresFixture postgres)
    {
        var db = await postgres.CreateDatabaseAsync();
        await new SchemaMigrator(NullLogger<SchemaMigrator>.Instance).MigrateAsync(db, CancellationToken.None);
        var store = new PostgresSshHostKeyStore(NpgsqlDataSource.Create(db));
        var options = Options.Create(new SshConfigDriverOptions { KeyPath = ClientKey, ConnectTimeout = TimeSpan.FromSeconds(10) });
        return (new SshConfigDriver(options, store, NullLogger<SshConfigDriver>.Instance), store);
    }

    internal static ConfigTarget Target(string name) =>
        new("t", "dev-" + name, "lab", name, "100.64.0." + (9 + int.Parse(name[3..], System.Globalization.CultureInfo.InvariantCulture)), []);

    private Task<(SshConfigDriver Driver, PostgresSshHostKeyStore Store)> DriverAsync() => DriverAsync(postgres);

    // The other end of a /31 data link: the address with the last bit flipped.
    private static string PeerAddress(string device, string iface)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(LabFixture.StateFile));
        var address = json.RootElement.GetProperty("devices").EnumerateArray()
            .Single(d => d.GetProperty("name").GetString() == device).GetProperty("interfaces").EnumerateArray()
            .Single(i => i.GetProperty("name").GetString() == iface).GetProperty("address").GetString()!.Split('/')[0];
        var bytes = System.Net.IPAddress.Parse(address).GetAddressBytes();
        bytes[3] ^= 1;
        return new System.Net.IPAddress(bytes).ToString();
    }

    private Task<string> SnmpGetAsync(string address, string oid) =>
        RunAsync("snmpget", "-v2c", "-c", lab.Description.Community, "-Oqv", address, oid).ContinueWith(t => t.Result.Trim().Trim('"').Replace("\\\"", "\"", StringComparison.Ordinal), TaskScheduler.Default);

    private static async Task<string> RunAsync(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        psi.Environment["MIBS"] = "";
        using var process = Process.Start(psi)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{file} failed: {await process.StandardError.ReadToEndAsync()}");
        return output;
    }
}
