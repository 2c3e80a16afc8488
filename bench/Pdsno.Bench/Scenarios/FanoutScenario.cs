using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Pdsno.Abstractions;
using Pdsno.Abstractions.Events;
using Orleans.Streams;
using Pdsno.Abstractions.Security;
using Pdsno.Bench.Hosting;
using Pdsno.Grains.Projection;

namespace Pdsno.Bench.Scenarios;

/// <summary>
/// Scenario: topology events fanned out to many GraphQL subscribers on one silo. 1,000 graphql-transport-ws connections
/// are opened; subscriptions to <c>topologyChanged</c> are spread over them in stages (1, 100, 1,000, 10,000 in all);
/// at each stage events are written through the product's projection writer (which stamps the commit) and announced on
/// the topology stream as a grain would, and every subscription's receipt of every event is timed from that commit.
/// PostgreSQL transactions are counted from pg_stat_database around each stage.
/// </summary>
internal static class FanoutScenario
{
    private const string Tenant = "bench";
    private static readonly byte[] SequenceKey = "\"sequence\":"u8.ToArray();

    public static async Task RunAsync(BenchSilo silo, BenchOptions options, Report report)
    {
        await WebhookFanout.RunAsync(silo, options, report);
        using var sql = new NpgsqlCommandCounter();
        var token = await silo.IssueTokenAsync(Tenant, Roles.Viewer);
        var uri = new Uri(silo.HttpAddress.Replace("http://", "ws://", StringComparison.Ordinal) + "/graphql");
        var writer = silo.Services.GetRequiredService<IProjectionWriter>();
        var stream = silo.Services.GetRequiredService<IClusterClient>().GetStreamProvider(PdsnoStreams.Provider)
            .GetStream<TopologyEvent>(StreamId.Create(PdsnoStreams.Topology, Tenant));

        Report.Progress($"fanout: opening {options.FanoutConnections} WebSocket connections");
        var clients = new List<Client>(options.FanoutConnections);
        for (var i = 0; i < options.FanoutConnections; i++)
        {
            clients.Add(await Client.OpenAsync(uri, token));
        }

        var version = 0L;
        var subscriptions = 0;
        foreach (var target in new[] { 1, 100, 1_000, 10_000 })
        {
            // Spread the new subscriptions round-robin over the connections.
            for (; subscriptions < target; subscriptions++)
            {
                await clients[subscriptions % clients.Count].SubscribeAsync(subscriptions % Math.Max(1, options.FanoutDocuments));
            }

            // A subscription without since starts at the log's end: it is live once it receives an event written after it.
            // Probe until one event reaches every subscription, then start clean.
            var live = false;
            for (var probe = 0; probe < 20 && !live; probe++)
            {
                var sequence = await WriteAsync(writer, stream, ++version);
                live = await Wait.UntilAsync(() => clients.Sum(c => c.Receipts.Count(r => r.Key == sequence)) >= subscriptions, TimeSpan.FromSeconds(5), 100);
            }

            if (!live)
            {
                throw new InvalidOperationException($"fanout: {subscriptions} subscriptions did not all go live");
            }

            foreach (var c in clients)
            {
                c.Receipts.Clear();
            }

            var (statementsBefore, readsBefore) = (sql.All, sql.EventReads);
            for (var i = 0; i < options.FanoutEvents; i++)
            {
                await WriteAsync(writer, stream, ++version);
                await Task.Delay(options.FanoutIntervalMs);
            }

            var expected = (long)subscriptions * options.FanoutEvents;
            var complete = await Wait.UntilAsync(() => clients.Sum(c => (long)c.Receipts.Count) >= expected, TimeSpan.FromSeconds(120), 100);
            await Task.Delay(1500);
            var statements = sql.All - statementsBefore;
            var reads = sql.EventReads - readsBefore;
            var latencies = silo.Latency.StampsToMs(Tenant, clients.SelectMany(c => c.Receipts));
            var label = target.ToString("N0", System.Globalization.CultureInfo.InvariantCulture).Replace(",", "_", StringComparison.Ordinal);
            report.Figure($"fanout.subs_{label}_durable_to_received_p50_ms", Wait.Percentile(latencies, 50), "ms");
            report.Figure($"fanout.subs_{label}_durable_to_received_p99_ms", Wait.Percentile(latencies, 99), "ms", target == 10_000 ? "p99 <= 100 ms" : null);
            report.Figure($"fanout.subs_{label}_event_log_reads_per_event", (double)reads / options.FanoutEvents, "statements", target == 1_000 ? "independent of subscribers" : null);
            report.Figure($"fanout.subs_{label}_postgres_statements_per_event", (double)statements / options.FanoutEvents, "statements");
            Report.Note($"fanout: {subscriptions} subscriptions of {options.FanoutDocuments} documents on {clients.Count} connections, {options.FanoutEvents} events one every {options.FanoutIntervalMs} ms: " +
                $"{latencies.Count} of {expected} receipts timed{(complete ? "" : " (NOT ALL ARRIVED in 120 s)")}; {reads} reads of the event log and {statements} SQL statements in all, counted at the client " +
                "(all statements include the writer's own commits and the cluster's background work: membership, reminders)");
        }

        foreach (var c in clients)
        {
            await c.DisposeAsync();
        }

    }

    // One event through the product's writer (stamped at its commit), announced on the topology stream as a grain's outbox does.
    private static async Task<long> WriteAsync(IProjectionWriter writer, IAsyncStream<TopologyEvent> stream, long version)
    {
        var draft = new EventDraft(TopologyEventType.DeviceChanged, "bench/fanout", version, 0, "r1", "bench-device", null, null, null, version.ToString(System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.UtcNow);
        var stored = await writer.CommitAsync(new ProjectionWork(Tenant, [draft]));
        foreach (var e in stored)
        {
            await stream.OnNextAsync(e);
        }

        return stored.Count > 0 ? stored[^1].Sequence : throw new InvalidOperationException("fanout: the writer stored no event");
    }

    private sealed class Client : IAsyncDisposable
    {
        private readonly ClientWebSocket _socket = new();
        private readonly CancellationTokenSource _stop = new();
        private readonly SemaphoreSlim _send = new(1, 1);
        private Task _reader = Task.CompletedTask;
        private int _next;

        public ConcurrentQueue<KeyValuePair<long, long>> Receipts { get; } = new();

        public static async Task<Client> OpenAsync(Uri uri, string token)
        {
            var c = new Client();
            c._socket.Options.AddSubProtocol("graphql-transport-ws");
            await c._socket.ConnectAsync(uri, CancellationToken.None);
            await c.SendAsync(new JsonObject { ["type"] = "connection_init", ["payload"] = new JsonObject { ["Authorization"] = "Bearer " + token } });
            var ack = new byte[4096];
            await c._socket.ReceiveAsync(ack, CancellationToken.None);
            c._reader = Task.Run(c.ReadAsync);
            return c;
        }

        // Documents that differ only by an alias compute the same events but are distinct groups on the server.
        public Task SubscribeAsync(int document)
        {
            var id = Interlocked.Increment(ref _next).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return SendAsync(new JsonObject
            {
                ["id"] = id,
                ["type"] = "subscribe",
                ["payload"] = new JsonObject { ["query"] = "subscription { d" + document.ToString(System.Globalization.CultureInfo.InvariantCulture) + ": topologyChanged { sequence type } }" },
            });
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
            }
            catch (WebSocketException)
            {
            }

            try
            {
                await _reader;
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
            {
            }

            _socket.Dispose();
            _stop.Dispose();
            _send.Dispose();
        }

        private async Task SendAsync(JsonObject message)
        {
            await _send.WaitAsync();
            try
            {
                await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);
            }
            finally
            {
                _send.Release();
            }
        }

        // Only the sequence is needed, so messages are scanned, not parsed: the client must not be the bottleneck.
        private async Task ReadAsync()
        {
            var buffer = new byte[64 * 1024];
            var filled = 0;
            while (!_stop.IsCancellationRequested)
            {
                var result = await _socket.ReceiveAsync(buffer.AsMemory(filled), _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                filled += result.Count;
                if (!result.EndOfMessage)
                {
                    continue;
                }

                var at = Stopwatch.GetTimestamp();
                var message = buffer.AsSpan(0, filled);
                var i = message.IndexOf(SequenceKey);
                if (i >= 0)
                {
                    var rest = message[(i + SequenceKey.Length)..];
                    long sequence = 0;
                    foreach (var b in rest)
                    {
                        if (b is < (byte)'0' or > (byte)'9')
                        {
                            break;
                        }

                        sequence = (sequence * 10) + (b - '0');
                    }

                    Receipts.Enqueue(new KeyValuePair<long, long>(sequence, at));
                }

                filled = 0;
            }
        }
    }
}
