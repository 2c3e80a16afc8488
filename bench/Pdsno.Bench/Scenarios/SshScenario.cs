using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Pdsno.Abstractions.Config;
using Pdsno.Discovery.Config;

namespace Pdsno.Bench.Scenarios;

/// <summary>
/// The ssh config driver against a running lab (<c>scripts/lab.sh up</c>): one apply (interface MTU and description,
/// a route added or removed) followed by its read-back, as a governed change does it, and a read alone.
/// </summary>
internal static class SshScenario
{
    private const string LabState = "/run/pdsno-lab/lab.json";
    private const string ClientKey = "/run/pdsno-lab/ssh/id_ed25519";
    private const int Rounds = 20;

    public static async Task RunAsync(Report report)
    {
        if (!File.Exists(LabState) || !File.Exists(ClientKey))
        {
            Report.Note("ssh skipped: no lab with sshd is up (run scripts/lab.sh up first)");
            return;
        }

        var options = Options.Create(new SshConfigDriverOptions { KeyPath = ClientKey });
        using var driver = new SshConfigDriver(options, new MemoryHostKeys(), NullLogger<SshConfigDriver>.Instance);
        var target = new ConfigTarget("bench", "lab2", "lab", "lab2", "100.64.0.11", []);
        var before = await driver.ReadAsync(target, CancellationToken.None);
        var eth1 = before.Interface("eth1") ?? throw new InvalidOperationException("lab2 has no eth1");
        var changed = before with
        {
            Interfaces = [.. before.Interfaces.Select(i => i.Name == "eth1" ? i with { Mtu = 1400, Description = "bench" } : i)],
            Routes = [.. before.Routes, new StaticRoute("10.250.0.0/24", "100.65.9.9", "eth1", 7)],
        };

        var applyAndRead = new List<double>();
        var readOnly = new List<double>();
        try
        {
            for (var round = 0; round < Rounds; round++)
            {
                var desired = round % 2 == 0 ? changed : before;
                var clock = Stopwatch.StartNew();
                await driver.ApplyAsync(target, desired, CancellationToken.None);
                var readBack = await driver.ReadAsync(target, CancellationToken.None);
                applyAndRead.Add(clock.Elapsed.TotalMilliseconds);
                if (!readBack.SameAs(desired))
                {
                    throw new InvalidOperationException("lab2 read back a different config than applied");
                }

                clock.Restart();
                await driver.ReadAsync(target, CancellationToken.None);
                readOnly.Add(clock.Elapsed.TotalMilliseconds);
            }
        }
        finally
        {
            await driver.ApplyAsync(target, before with { Interfaces = [.. before.Interfaces.Select(i => i.Name == "eth1" ? eth1 : i)] }, CancellationToken.None);
        }

        Report.Note($"ssh: {Rounds} rounds on lab2 (100.64.0.11): apply (eth1 MTU + description, one route) then read back, each on its own SSH connection");
        report.Figure("ssh.apply_and_read_back_p50_ms", Wait.Percentile(applyAndRead, 50), "ms");
        report.Figure("ssh.apply_and_read_back_max_ms", applyAndRead.Max(), "ms");
        report.Figure("ssh.read_p50_ms", Wait.Percentile(readOnly, 50), "ms");
    }

    private sealed class MemoryHostKeys : ISshHostKeyStore
    {
        private readonly ConcurrentDictionary<string, string> _pins = new(StringComparer.Ordinal);

        public Task<string?> FindAsync(string tenant, string device, CancellationToken cancellationToken) =>
            Task.FromResult(_pins.TryGetValue(tenant + "/" + device, out var pin) ? pin : null);

        public Task<string> PinAsync(string tenant, string device, string address, string fingerprint, CancellationToken cancellationToken) =>
            Task.FromResult(_pins.GetOrAdd(tenant + "/" + device, fingerprint));
    }
}
