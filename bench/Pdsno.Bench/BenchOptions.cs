using System.Globalization;

namespace Pdsno.Bench;

/// <summary>Command line of the bench: scenario names, then <c>--name value</c> options.</summary>
internal sealed class BenchOptions
{
    public static readonly string[] AllScenarios = ["ingest", "discovery", "latency", "memory", "graphql", "auth", "config", "snmp", "fanout", "audit", "changes", "ssh", "console", "intents", "analytics"];

    public List<string> Scenarios { get; } = [];

    public int Seed { get; private set; } = 42;

    public int IngestDevices { get; private set; } = 5_000;

    public int IngestRegions { get; private set; } = 8;

    public int IngestSeconds { get; private set; } = 20;

    public int IngestInFlight { get; private set; } = 3;

    public int PingSeconds { get; private set; } = 5;

    public int DiscoveryDevices { get; private set; } = 10_000;

    public int DiscoveryRegions { get; private set; } = 10;

    public int LatencyEvents { get; private set; } = 1_000;

    public int LatencyChanges { get; private set; } = 20;

    public int MemoryDevices { get; private set; } = 100_000;

    public int MemoryRegions { get; private set; } = 20;

    public int AuthIterations { get; private set; } = 2_000;

    public int SnmpAgents { get; private set; } = 1_000;

    public int FanoutConnections { get; private set; } = 1_000;

    public int ChangesSingle { get; private set; } = 200;

    public int FanoutEvents { get; private set; } = 25;

    public int FanoutIntervalMs { get; private set; } = 40;

    public int FanoutDocuments { get; private set; } = 1;

    public int WebhookEvents { get; private set; } = 2_000;

    public int WebhookDownSeconds { get; private set; } = 60;
    public int AuditRecords { get; private set; } = 1_000_000;

    public int AuditAppends { get; private set; } = 5_000;

    public int AuditCallers { get; private set; } = 64;

    public int ConsoleVisits { get; private set; } = 3;

    public int ConsoleEvents { get; private set; } = 10;

    public int SnmpParallelism { get; private set; } = 32;

    public int SnmpLabRuns { get; private set; } = 10;

    public int AnalyticsSeries { get; private set; } = 200;

    public int AnalyticsWriteInterfaces { get; private set; } = 1_000;

    /// <summary>Brings the SNMP lab up for the snmp scenario and down after it; without it the lab part runs only on a lab already up.</summary>
    public bool Lab { get; private set; }

    public bool KeepDatabases { get; private set; }

    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var a = args[i];
            if (!a.StartsWith("--", StringComparison.Ordinal))
            {
                if (a == "all")
                {
                    o.Scenarios.AddRange(AllScenarios);
                }
                else if (AllScenarios.Contains(a))
                {
                    o.Scenarios.Add(a);
                }
                else
                {
                    throw new ArgumentException($"unknown scenario '{a}'; known: {string.Join(", ", AllScenarios)}, all");
                }

                continue;
            }

            if (a == "--keep-databases")
            {
                o.KeepDatabases = true;
                continue;
            }

            if (a == "--lab")
            {
                o.Lab = true;
                continue;
            }

            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"option {a} needs a value");
            }

            var value = int.Parse(args[++i], CultureInfo.InvariantCulture);
            switch (a)
            {
                case "--seed": o.Seed = value; break;
                case "--ingest-devices": o.IngestDevices = value; break;
                case "--ingest-regions": o.IngestRegions = value; break;
                case "--ingest-seconds": o.IngestSeconds = value; break;
                case "--ingest-inflight": o.IngestInFlight = value; break;
                case "--ping-seconds": o.PingSeconds = value; break;
                case "--discovery-devices": o.DiscoveryDevices = value; break;
                case "--discovery-regions": o.DiscoveryRegions = value; break;
                case "--latency-events": o.LatencyEvents = value; break;
                case "--latency-changes": o.LatencyChanges = value; break;
                case "--memory-devices": o.MemoryDevices = value; break;
                case "--memory-regions": o.MemoryRegions = value; break;
                case "--auth-iterations": o.AuthIterations = value; break;
                case "--snmp-agents": o.SnmpAgents = value; break;
                case "--fanout-connections": o.FanoutConnections = value; break;
                case "--changes-single": o.ChangesSingle = value; break;
                case "--fanout-events": o.FanoutEvents = value; break;
                case "--fanout-interval-ms": o.FanoutIntervalMs = value; break;
                case "--fanout-documents": o.FanoutDocuments = value; break;
                case "--webhook-events": o.WebhookEvents = value; break;
                case "--webhook-down-seconds": o.WebhookDownSeconds = value; break;
                case "--audit-records": o.AuditRecords = value; break;
                case "--audit-appends": o.AuditAppends = value; break;
                case "--audit-callers": o.AuditCallers = value; break;
                case "--snmp-parallelism": o.SnmpParallelism = value; break;
                case "--snmp-lab-runs": o.SnmpLabRuns = value; break;
                case "--console-visits": o.ConsoleVisits = value; break;
                case "--console-events": o.ConsoleEvents = value; break;
                case "--analytics-series": o.AnalyticsSeries = value; break;
                case "--analytics-write-interfaces": o.AnalyticsWriteInterfaces = value; break;
                default: throw new ArgumentException($"unknown option {a}");
            }
        }

        if (o.Scenarios.Count == 0)
        {
            o.Scenarios.AddRange(AllScenarios);
        }

        return o;
    }

    public const string Usage =
        """
        usage: bench [ingest|discovery|latency|memory|graphql|auth|config|snmp|fanout|audit|changes|ssh|intents|analytics|all ...] [options]
          --seed N               seed of the generated networks (42)
          --ingest-devices N     devices replayed by the ingest scenario (5000)
          --ingest-regions N     regions, i.e. discovery streams, of the ingest network (8)
          --ingest-seconds N     measured ingest window after warm-up (20)
          --ingest-inflight N    cycles published ahead of the slowest region (3)
          --ping-seconds N       raw grain-call measurement (5)
          --discovery-devices N  devices of the first-discovery network (10000)
          --discovery-regions N  its regions (10)
          --latency-events N     stamped events published straight onto the topology stream (1000)
          --latency-changes N    device down/up rounds through discovery (20)
          --memory-devices N     device grains activated in the memory scenario (100000)
          --memory-regions N     regions of that network (20)
          --auth-iterations N    timed requests per path and query in the auth scenario (2000)
          --changes-single N     LOW changes made one at a time and timed (200)
          --fanout-connections N WebSocket connections the fanout subscriptions are spread over (1000)
          --fanout-events N      events written at each fanout stage (25)
          --fanout-interval-ms N pause between those events (40)
          --fanout-documents N   distinct subscription documents (so groups) the subscriptions are spread over (1)
          --webhook-events N     events a fanout webhook drains, one per request and batched (2000)
          --webhook-down-seconds N  how long the fanout webhook receiver is down (60)
          --snmp-agents N        simulated SNMP agents polled by the snmp scenario (1000)
          --audit-records N      chained audit records written by COPY, then verified (1000000)
          --audit-appends N      records appended through the audit writer (5000)
          --audit-callers N      callers appending at once, each waiting for its record (64)
          --snmp-parallelism N   devices the snmp driver polls at once (32)
          --snmp-lab-runs N      timed walks of each lab subtree, ours and snmpbulkwalk's (10)
          --lab                  snmp scenario: run scripts/lab.sh up --devices 4 (root, apt) and down at the end;
                                 without it the lab walk runs only when a lab is already up
          --analytics-series N   generated series (5 weeks at 1 minute, seeds the tests never use) the analytics scenario fits and judges (200)
          --analytics-write-interfaces N  interfaces whose day of 1-minute history the analytics scenario writes (1000)
          --keep-databases       keep each scenario's database instead of dropping it
        The snmp scenario starts no silo and needs no database.
        The PostgreSQL server is the one PDSNO_BENCH_POSTGRES names (scripts/bench.sh provides one).
        """;
}
