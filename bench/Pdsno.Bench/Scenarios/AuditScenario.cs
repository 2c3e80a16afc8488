using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;
using Pdsno.Abstractions.Security;
using Pdsno.Bench.Hosting;
using Pdsno.Storage.Audit;

namespace Pdsno.Bench.Scenarios;

/// <summary>
/// Scenario 8: the audit trail. (a) Appends through the silo's own writer, from many callers at once each waiting
/// for its record to be durable, as mutations and the change pipeline do; (b) a trail of a million chained records
/// (hashed here, written by binary COPY), then the verification <c>audit verify</c> runs over it.
/// </summary>
internal static class AuditScenario
{
    private const string AppendTenant = "bench-append";
    private const string TrailTenant = "bench-trail";

    public static async Task RunAsync(BenchSilo silo, BenchOptions options, Report report)
    {
        var dataSource = silo.Services.GetRequiredService<NpgsqlDataSource>();
        var writer = silo.Services.GetRequiredService<IAuditChain>();
        var reader = silo.Services.GetRequiredService<AuditChainReader>();

        await AppendAsync(writer, 200, options.AuditCallers); // warm-up: connections, JIT
        var latencies = new double[options.AuditAppends];
        var clock = Stopwatch.StartNew();
        await AppendAsync(writer, options.AuditAppends, options.AuditCallers, latencies);
        var seconds = clock.Elapsed.TotalSeconds;
        Array.Sort(latencies);
        report.Figure($"audit.append_records_per_second ({options.AuditAppends} records, {options.AuditCallers} callers at once, durable on return)", options.AuditAppends / seconds, "records/s");
        report.Figure("audit.append_latency_p50", latencies[latencies.Length / 2], "ms");
        report.Figure("audit.append_latency_p99", latencies[(int)(latencies.Length * 0.99)], "ms");
        var appended = await reader.VerifyAsync(AppendTenant);
        if (!appended.Ok || appended.Checked != options.AuditAppends + 200)
        {
            throw new InvalidOperationException($"audit: the appended chain does not verify: {appended}");
        }

        Report.Progress($"audit: writing {options.AuditRecords} chained records by COPY");
        clock.Restart();
        await CopyTrailAsync(dataSource, options.AuditRecords);
        report.Figure($"audit.copy_write_seconds ({options.AuditRecords} records, hashed in C#, binary COPY)", clock.Elapsed.TotalSeconds, "s");
        await using (var analyze = dataSource.CreateCommand("VACUUM ANALYZE audit_log"))
        {
            await analyze.ExecuteNonQueryAsync();
        }

        Report.Progress("audit: verifying");
        clock.Restart();
        var verified = await reader.VerifyAsync(TrailTenant);
        report.Figure($"audit.verify_seconds ({verified.Checked} records, one tenant)", clock.Elapsed.TotalSeconds, "s", "<= 10 s");
        if (!verified.Ok || verified.Checked != options.AuditRecords)
        {
            throw new InvalidOperationException($"audit: the written trail does not verify: {verified}");
        }

        clock.Restart();
        await reader.VerifyAsync(TrailTenant);
        report.Figure("audit.verify_seconds_second_run (same trail, pages now cached)", clock.Elapsed.TotalSeconds, "s");

        clock.Restart();
        var all = await reader.VerifyAsync(null);
        report.Figure($"audit.verify_all_tenants_seconds ({all.Checked} records)", clock.Elapsed.TotalSeconds, "s");
    }

    private static async Task AppendAsync(IAuditChain writer, int count, int callers, double[]? latencies = null)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, callers).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var started = Stopwatch.GetTimestamp();
                await writer.AppendAsync([new AuditRecordDraft(AppendTenant, "token 00000000000000b1 (bench)", "setDeviceDown", $"id=device-{i}", AuditRecordDraft.Ok)]);
                if (latencies is not null)
                {
                    latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                }
            }
        }));
    }

    private static async Task CopyTrailAsync(NpgsqlDataSource dataSource, int count)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var copy = await connection.BeginBinaryImportAsync(
            "COPY audit_log (tenant, seq, at, actor, operation, target, outcome, detail, prev_hash, hash) FROM STDIN (FORMAT BINARY)");
        var previous = AuditHash.Genesis.ToArray();
        var start = AuditHash.Truncate(DateTimeOffset.UtcNow.AddDays(-1));
        string[] operations = ["setDeviceDown", "proposeChange", "approveChange", "executeChange", "createApiToken"];
        for (long seq = 1; seq <= count; seq++)
        {
            var at = start.AddTicks(seq * 10);
            var operation = operations[seq % operations.Length];
            var target = $"id=device-{seq % 10_000}";
            var outcome = seq % 97 == 0 ? "FORBIDDEN" : AuditRecordDraft.Ok;
            const string Actor = "token 00000000000000b2 (bench)";
            var hash = AuditHash.Compute(previous, TrailTenant, seq, at, Actor, operation, target, outcome, "");
            await copy.StartRowAsync();
            await copy.WriteAsync(TrailTenant, NpgsqlDbType.Text);
            await copy.WriteAsync(seq, NpgsqlDbType.Bigint);
            await copy.WriteAsync(at.UtcDateTime, NpgsqlDbType.TimestampTz);
            await copy.WriteAsync(Actor, NpgsqlDbType.Text);
            await copy.WriteAsync(operation, NpgsqlDbType.Text);
            await copy.WriteAsync(target, NpgsqlDbType.Text);
            await copy.WriteAsync(outcome, NpgsqlDbType.Text);
            await copy.WriteAsync("", NpgsqlDbType.Text);
            await copy.WriteAsync(previous, NpgsqlDbType.Bytea);
            await copy.WriteAsync(hash, NpgsqlDbType.Bytea);
            previous = hash;
        }

        await copy.CompleteAsync();
    }
}
