using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Streams;
using Pdsno.Abstractions;
using Pdsno.Abstractions.Events;
using Pdsno.Bench.Hosting;
using Pdsno.Grains.Projection;
using Pdsno.TestSupport.Webhooks;
using Pdsno.Webhooks.Storage;

namespace Pdsno.Bench.Scenarios;

/// <summary>
/// The webhook part of the fanout scenario (run before the subscription stages), on a tenant of its own: events delivered per second to one local receiver
/// (one event per request, then batched), event durable -> delivered at the receiver p50/p99 with events written one
/// every fanout interval, and a receiver that is down for a while and back: every event delivered, in order.
/// </summary>
internal static class WebhookFanout
{
    private const string Tenant = "bench-webhooks";

    public static async Task RunAsync(BenchSilo silo, BenchOptions options, Report report)
    {
        var writer = silo.Services.GetRequiredService<IProjectionWriter>();
        var store = silo.Services.GetRequiredService<WebhookStore>();
        var stream = silo.Services.GetRequiredService<IClusterClient>().GetStreamProvider(PdsnoStreams.Provider)
            .GetStream<TopologyEvent>(StreamId.Create(PdsnoStreams.Topology, Tenant));
        var version = 0L;
        await using var receiver = WebhookReceiver.Start();

        foreach (var (label, maxEvents, maxDelay) in new[] { ("one_per_request", 1, 0), ("batched_100", 100, 20) })
        {
            // Events wait in the log while the webhook is paused; resuming it times the drain alone.
            var id = await CreateAsync(store, receiver, maxEvents, maxDelay);
            await store.PauseAsync(Tenant, id, CancellationToken.None);
            var first = version + 1;
            for (var i = 0; i < options.WebhookEvents; i++)
            {
                await WriteAsync(writer, stream, ++version);
            }

            receiver.Accepted.Clear();
            await store.ResumeAsync(Tenant, id, CancellationToken.None);
            var done = await Wait.UntilAsync(() => receiver.AcceptedSequences().Count(s => s >= first) >= options.WebhookEvents, TimeSpan.FromSeconds(300), 20);
            // Timed from the first request's arrival: a resumed webhook waits for the next claim round (ClaimInterval) to start.
            var requests = receiver.Accepted.ToList();
            if (requests.Count < 2)
            {
                throw new InvalidOperationException($"fanout: webhook {label} delivered {requests.Count} requests");
            }

            var seconds = Stopwatch.GetElapsedTime(requests[0].At, requests[^1].At).TotalSeconds;
            var drained = options.WebhookEvents - requests[0].Sequences.Count;
            report.Figure($"fanout.webhook_{label}_events_per_second", drained / seconds, "events/s");
            Report.Note($"fanout: webhook {label}: {options.WebhookEvents} events waiting, the {drained} after the first request delivered in {seconds:0.00} s over {requests.Count - 1} requests{(done ? "" : " (NOT ALL ARRIVED in 300 s)")}");
            await store.DeleteAsync(Tenant, id, CancellationToken.None);
        }

        // Latency: one event every fanout interval to an idle one-per-request webhook.
        {
            var id = await CreateAsync(store, receiver, 1, 0);
            // Live once a probe event arrives: a new webhook starts at the next claim round.
            var probe = await WriteAsync(writer, stream, ++version);
            await Wait.UntilAsync(() => receiver.AcceptedSequences().Contains(probe), TimeSpan.FromSeconds(60), 20);
            receiver.Accepted.Clear();
            var written = new List<long>();
            for (var i = 0; i < options.FanoutEvents * 4; i++)
            {
                written.Add(await WriteAsync(writer, stream, ++version));
                await Task.Delay(options.FanoutIntervalMs);
            }

            await Wait.UntilAsync(() => written.All(receiver.AcceptedSequences().Contains), TimeSpan.FromSeconds(60), 20);
            var receipts = receiver.Accepted.SelectMany(d => d.Sequences.Select(s => new KeyValuePair<long, long>(s, d.At)));
            var latencies = silo.Latency.StampsToMs(Tenant, receipts.Where(r => written.Contains(r.Key)));
            report.Figure("fanout.webhook_durable_to_delivered_p50_ms", Wait.Percentile(latencies, 50), "ms");
            report.Figure("fanout.webhook_durable_to_delivered_p99_ms", Wait.Percentile(latencies, 99), "ms", "p99 <= 100 ms");
            Report.Note($"fanout: webhook latency: {latencies.Count} of {written.Count} events timed from their commit to the receiver");

            // The receiver goes away; events keep coming; it comes back.
            await receiver.StopAsync();
            receiver.Accepted.Clear();
            written.Clear();
            var down = Stopwatch.StartNew();
            while (down.Elapsed < TimeSpan.FromSeconds(options.WebhookDownSeconds))
            {
                written.Add(await WriteAsync(writer, stream, ++version));
                await Task.Delay(250);
            }

            receiver.Resume();
            var back = Stopwatch.StartNew();
            var all = await Wait.UntilAsync(() => written.All(receiver.AcceptedSequences().Contains), TimeSpan.FromSeconds(600), 50);
            var catchUp = back.Elapsed.TotalSeconds;
            var sequences = receiver.AcceptedSequences();
            var firstSeen = sequences.Distinct().ToList();
            var inOrder = firstSeen.SequenceEqual(firstSeen.Order());
            var lost = written.Count(s => !sequences.Contains(s));
            report.Figure("fanout.webhook_receiver_down_events_lost", lost, "events", "0");
            report.Figure("fanout.webhook_receiver_down_out_of_order", inOrder ? 0 : 1, "runs", "0");
            report.Figure("fanout.webhook_receiver_back_to_all_delivered_s", catchUp, "s");
            Report.Note($"fanout: webhook receiver down {options.WebhookDownSeconds} s while {written.Count} events were written: " +
                $"{(all ? "all" : "NOT all")} delivered {catchUp:0.0} s after it came back (retries back off exponentially, so this includes the last wait), " +
                $"{sequences.Count - firstSeen.Count} delivered twice, {(inOrder ? "in order" : "OUT OF ORDER")}");
            await store.DeleteAsync(Tenant, id, CancellationToken.None);
        }
    }

    private static async Task<string> CreateAsync(WebhookStore store, WebhookReceiver receiver, int maxEvents, int maxDelayMs)
    {
        var id = "wh_bench_" + Guid.NewGuid().ToString("n")[..8];
        _ = await store.CreateAsync(Tenant, id, new WebhookSpec(receiver.Url, [], [], maxEvents, maxDelayMs), "bench-secret-0123456789", "bench", 100, CancellationToken.None)
            ?? throw new InvalidOperationException("webhook not created");
        return id;
    }

    // One event through the product's writer (stamped at its commit), announced on the tenant's topology stream as a grain's outbox does.
    private static async Task<long> WriteAsync(IProjectionWriter writer, IAsyncStream<TopologyEvent> stream, long version)
    {
        var draft = new EventDraft(TopologyEventType.DeviceChanged, "bench/webhooks", version, 0, "r1", "bench-device", null, null, null, version.ToString(System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.UtcNow);
        var stored = await writer.CommitAsync(new ProjectionWork(Tenant, [draft]));
        foreach (var e in stored)
        {
            await stream.OnNextAsync(e);
        }

        return stored.Count > 0 ? stored[^1].Sequence : throw new InvalidOperationException("webhooks: the writer stored no event");
    }
}
