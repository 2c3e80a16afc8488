using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Pdsno.Abstractions.Discovery;
using Pdsno.Abstractions.Ids;
using Pdsno.Bench.Workload;
using Pdsno.Discovery.Drivers;
using Pdsno.Discovery.Snmp;
using Pdsno.Discovery.Snmp.Discovery;

namespace Pdsno.Bench.Scenarios;

/// <summary>
/// SNMP figures that need no silo: one snmp-driver cycle over many in-process simulated agents, and our bulk walk
/// of a lab device's IF-MIB and LLDP-MIB beside net-snmp's <c>snmpbulkwalk</c>.
/// </summary>
internal static class SnmpScenario
{
    private const string Community = "public";
    private const string LabState = "/run/pdsno-lab/lab.json";

    private static readonly (string Label, string Oid)[] LabSubtrees =
    [
        ("if_mib.interfaces", "1.3.6.1.2.1.2"),
        ("if_mib.ifxtable", "1.3.6.1.2.1.31.1.1"),
        ("lldp_mib", "1.0.8802.1.1.2"),
    ];

    public static async Task RunAsync(BenchOptions options, Report report)
    {
        await PollAgentsAsync(options, report);
        await WalkLabAsync(options, report);
    }

    private static async Task PollAgentsAsync(BenchOptions options, Report report)
    {
        var count = options.SnmpAgents;
        Report.Progress($"snmp: starting {count} simulated agents on 127.0.0.1");
        var agents = new List<SimulatedSnmpAgent>(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                agents.Add(new SimulatedSnmpAgent(SnmpAgentTable.Build(i, count), Community));
            }

            var driverOptions = new SnmpDriverOptions
            {
                Community = Community,
                TimeoutMs = 2000,
                Retries = 1,
                Parallelism = options.SnmpParallelism,
                MaxAddressesPerController = Math.Max(count, 1),
            };
            await using var driver = new SnmpDriver(Options.Create(driverOptions), NullLogger<SnmpDriver>.Instance);
            var scope = new DiscoveryScope(
                new ControllerId(new RegionId("bench", "snmp"), "lc-1"),
                [.. agents.Select(a => $"127.0.0.1:{a.EndPoint.Port}")]);

            Report.Progress("snmp: warm-up cycle");
            await CycleAsync(driver, scope);

            GC.Collect();
            GC.WaitForPendingFinalizers();
            var requestsBefore = agents.Sum(a => a.RequestsReceived);
            using var process = Process.GetCurrentProcess();
            var cpuBefore = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            var (devices, interfaces, neighbours) = await CycleAsync(driver, scope);
            var elapsed = clock.Elapsed;
            process.Refresh();
            var cpu = process.TotalProcessorTime - cpuBefore;
            var requests = agents.Sum(a => a.RequestsReceived) - requestsBefore;

            Report.Note($"snmp poll: {count} simulated agents (10 interfaces, 2 LLDP neighbours each) polled by the snmp driver, parallelism {options.SnmpParallelism}; agents and poller share this process, so CPU counts both sides");
            report.Figure("snmp.poll.devices_observed", devices, $"of {count} devices");
            report.Figure("snmp.poll.cycle_seconds", elapsed.TotalSeconds, "s");
            report.Figure("snmp.poll.cpu_seconds", cpu.TotalSeconds, "s CPU (agents + poller)");
            report.Figure("snmp.poll.devices_per_second", devices / elapsed.TotalSeconds, "devices/s");
            report.Figure("snmp.poll.requests_per_device", (double)requests / Math.Max(1, count), "requests");
            Report.Note($"snmp poll: {interfaces} interfaces and {neighbours} neighbours observed in the measured cycle");
            if (devices != count)
            {
                throw new InvalidOperationException($"the snmp driver observed {devices} of {count} simulated agents");
            }
        }
        finally
        {
            foreach (var agent in agents)
            {
                await agent.DisposeAsync();
            }
        }
    }

    private static async Task<(int Devices, int Interfaces, int Neighbours)> CycleAsync(SnmpDriver driver, DiscoveryScope scope)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        int devices = 0, interfaces = 0, neighbours = 0;
        await foreach (var observation in driver.DiscoverAsync(scope, timeout.Token))
        {
            devices++;
            interfaces += observation.Interfaces.Length;
            neighbours += observation.Neighbors.Length;
        }

        return (devices, interfaces, neighbours);
    }

    private static async Task WalkLabAsync(BenchOptions options, Report report)
    {
        if (!options.Lab && !File.Exists(LabState))
        {
            Report.Note("snmp lab walk skipped: no lab is up; run with --lab (needs root and apt: it runs scripts/lab.sh up --devices 4, then down)");
            return;
        }

        if (!File.Exists("/usr/bin/snmpbulkwalk") && !options.Lab)
        {
            Report.Note("snmp lab walk skipped: snmpbulkwalk is not installed (scripts/lab.sh up installs it)");
            return;
        }

        var root = RepositoryRoot();
        try
        {
            if (options.Lab)
            {
                Report.Progress("snmp: bringing the lab up (scripts/lab.sh up --devices 4)");
                await RunToStderrAsync(root, "up", "--devices", "4");
            }

            var address = Lab1Address();
            var target = new SnmpTarget(new System.Net.IPEndPoint(System.Net.IPAddress.Parse(address), SnmpTarget.DefaultPort), Community);
            await using var client = new SnmpClient(new SnmpClientOptions { MaxRepetitions = 25, Timeout = TimeSpan.FromSeconds(2), Retries = 1 });
            Report.Note($"snmp lab walk: lab1 at {address}, {options.SnmpLabRuns} runs each, median; ours = SnmpClient.WalkAsync (GETBULK, 25 repetitions), theirs = a snmpbulkwalk -v2c -Cr25 -On process timed from start to exit");
            double oursTotal = 0, theirsTotal = 0;
            foreach (var (label, oid) in LabSubtrees)
            {
                var subtree = Oid.Parse(oid);

                // One untimed walk each, so neither side pays for first-time JIT or page-cache misses.
                await WalkAsync(client, target, subtree);
                await SnmpBulkWalkAsync(address, oid);

                var ours = new List<double>();
                var theirs = new List<double>();
                int oursCount = 0, theirsCount = 0;
                for (var run = 0; run < options.SnmpLabRuns; run++)
                {
                    var clock = Stopwatch.StartNew();
                    oursCount = await WalkAsync(client, target, subtree);
                    ours.Add(clock.Elapsed.TotalMilliseconds);
                    (theirsCount, var ms) = await SnmpBulkWalkAsync(address, oid);
                    theirs.Add(ms);
                }

                var oursMedian = Median(ours);
                var theirsMedian = Median(theirs);
                oursTotal += oursMedian;
                theirsTotal += theirsMedian;
                report.Figure($"snmp.lab.{label}.ours_median_ms", oursMedian, "ms", $"<= snmpbulkwalk {theirsMedian:0.###} ms");
                report.Figure($"snmp.lab.{label}.snmpbulkwalk_median_ms", theirsMedian, "ms");
                Report.Note($"snmp lab walk {oid}: ours {oursMedian:0.###} ms vs snmpbulkwalk {theirsMedian:0.###} ms; varbinds {oursCount} vs {theirsCount}{(oursCount == theirsCount ? " (match)" : " (MISMATCH)")}");
                if (oursCount != theirsCount)
                {
                    throw new InvalidOperationException($"walk of {oid} on lab1: our client returned {oursCount} varbinds, snmpbulkwalk {theirsCount}");
                }
            }

            report.Figure("snmp.lab.total.ours_median_ms", oursTotal, "ms", $"<= snmpbulkwalk {theirsTotal:0.###} ms");
            report.Figure("snmp.lab.total.snmpbulkwalk_median_ms", theirsTotal, "ms");
        }
        finally
        {
            if (options.Lab)
            {
                Report.Progress("snmp: taking the lab down");
                await RunToStderrAsync(root, "down");
            }
        }
    }

    private static async Task<int> WalkAsync(SnmpClient client, SnmpTarget target, Oid subtree)
    {
        var count = 0;
        await foreach (var _ in client.WalkAsync(target, subtree))
        {
            count++;
        }

        return count;
    }

    private static async Task<(int VarBinds, double Milliseconds)> SnmpBulkWalkAsync(string address, string oid)
    {
        var start = new ProcessStartInfo("snmpbulkwalk")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-v2c", "-c", Community, "-Cr25", "-On", address, oid })
        {
            start.ArgumentList.Add(argument);
        }

        // Numeric OIDs only, as scripts/lab.sh runs net-snmp: Debian ships no MIB files.
        start.Environment["MIBS"] = "";
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("snmpbulkwalk did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var ms = clock.Elapsed.TotalMilliseconds;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"snmpbulkwalk {address} {oid} exited with {process.ExitCode}: {(await error).Trim()}");
        }

        // With -On every varbind starts a line with its numeric OID; wrapped Hex-STRING lines do not.
        var varBinds = (await output).Split('\n').Count(line =>
            line.StartsWith('.') && !line.Contains("No more variables left", StringComparison.Ordinal));
        return (varBinds, ms);
    }

    private static async Task RunToStderrAsync(string root, params string[] labArguments)
    {
        var start = new ProcessStartInfo("bash") { WorkingDirectory = root, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(root, "scripts", "lab.sh"));
        foreach (var argument in labArguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");

        // The bench's stdout carries only figures; the lab's own output goes with the progress lines.
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        await Console.Error.WriteAsync(output);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/lab.sh {string.Join(' ', labArguments)} exited with {process.ExitCode}");
        }
    }

    private static string Lab1Address()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(LabState));
        foreach (var device in document.RootElement.GetProperty("devices").EnumerateArray())
        {
            if (device.GetProperty("name").GetString() == "lab1")
            {
                return device.GetProperty("mgmtAddress").GetString()
                    ?? throw new InvalidOperationException($"{LabState}: lab1 has no mgmtAddress");
            }
        }

        throw new InvalidOperationException($"{LabState} names no device lab1");
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PDSNO.sln")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        var middle = values.Count / 2;
        return values.Count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }
}
