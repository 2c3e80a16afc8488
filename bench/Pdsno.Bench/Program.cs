using System.Diagnostics;
using Pdsno.Abstractions.Security;
using Pdsno.Bench;
using Pdsno.Bench.Hosting;
using Pdsno.Bench.Scenarios;

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException)
{
    Console.Error.WriteLine($"bench: {ex.Message}");
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

var admin = Environment.GetEnvironmentVariable("PDSNO_BENCH_POSTGRES");
if (string.IsNullOrWhiteSpace(admin) && options.Scenarios.Any(s => s is not "snmp" and not "ssh"))
{
    Console.Error.WriteLine("bench: PDSNO_BENCH_POSTGRES is not set; run scripts/bench.sh, which starts a private PostgreSQL");
    return 2;
}

var report = new Report();
var clock = Stopwatch.StartNew();
Report.Note($"PDSNO bench: scenarios {string.Join(", ", options.Scenarios)}; cores={Report.Cores}; each scenario on a fresh database and silo");
var failures = 0;
foreach (var scenario in options.Scenarios)
{
    if (scenario is "snmp" or "ssh")
    {
        // Simulated agents and the lab need no silo or database.
        try
        {
            await (scenario == "snmp" ? SnmpScenario.RunAsync(options, report) : SshScenario.RunAsync(report));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            failures++;
            Console.WriteLine($"# scenario {scenario} FAILED: {ex.GetType().Name}: {ex.Message}");
            Console.Error.WriteLine(ex);
        }

        continue;
    }

    Report.Progress($"scenario {scenario}: starting a silo");
    try
    {
        await using var silo = await BenchSilo.StartAsync(admin!, scenario, timeProjections: scenario is "latency" or "graphql" or "fanout", options.KeepDatabases);
        // The scenarios drive grains from this host, as PDSNO itself; HTTP requests carry tokens of their own.
        using var system = CallerContext.AsSystem();
        var run = scenario switch
        {
            "ingest" => IngestScenario.RunAsync(silo, options, report),
            "discovery" => DiscoveryScenario.RunAsync(silo, options, report),
            "latency" => LatencyScenario.RunAsync(silo, options, report),
            "graphql" => GraphQLScenario.RunAsync(silo, options, report),
            "auth" => AuthScenario.RunAsync(silo, options, report),
            "fanout" => FanoutScenario.RunAsync(silo, options, report),
            "changes" => ChangesScenario.RunAsync(silo, options, report),
            "config" => ConfigScenario.RunAsync(silo, options, report),
            "audit" => AuditScenario.RunAsync(silo, options, report),
            "console" => ConsoleScenario.RunAsync(silo, options, report),
            "intents" => IntentsScenario.RunAsync(silo, options, report),
            "analytics" => AnalyticsScenario.RunAsync(silo, options, report),
            _ => MemoryScenario.RunAsync(silo, options, report),
        };
        await run;
        Report.Progress($"scenario {scenario}: done; stopping the silo");
    }
    catch (Exception ex) when (ex is not OutOfMemoryException)
    {
        failures++;
        Console.WriteLine($"# scenario {scenario} FAILED: {ex.GetType().Name}: {ex.Message}");
        Console.Error.WriteLine(ex);
    }
}

report.PrintSummary(clock.Elapsed);
return failures == 0 ? 0 : 1;
