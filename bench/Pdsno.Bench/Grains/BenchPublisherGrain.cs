using System.Collections.Immutable;
using System.Diagnostics;
using Pdsno.Abstractions;
using Pdsno.Abstractions.Discovery;
using Pdsno.Abstractions.Events;
using Pdsno.Abstractions.Ids;
using Pdsno.Bench.Hosting;
using Pdsno.Bench.Workload;

namespace Pdsno.Bench.Grains;

/// <summary>Publishes prepared discovery cycles and stamped topology events.</summary>
[GrainType("bench-publisher")]
public sealed class BenchPublisherGrain(IngestWorkload workload, LatencyRecorder recorder) : Grain, IBenchPublisherGrain
{
    /// <summary>The batch size <c>LocalControllerGrain</c> uses.</summary>
    public const int BatchSize = 250;

    /// <inheritdoc />
    public async Task<int> PublishCycleAsync(string controller, long cycle)
    {
        var region = RegionId.Parse(this.GetPrimaryKeyString());
        var stream = this.GetStreamProvider(PdsnoStreams.Provider).GetStream<DiscoveryBatch>(StreamId.Create(PdsnoStreams.Discovery, region.ToString()));
        var observations = workload.For(region.ToString());
        var started = DateTimeOffset.UtcNow;
        var id = new ControllerId(region, controller);
        var index = 0;
        for (var offset = 0; ; offset += BatchSize)
        {
            var count = Math.Min(BatchSize, observations.Length - offset);
            var last = offset + BatchSize >= observations.Length && count < BatchSize;
            // Counters move on between cycles only through ObservedAt: the window keeps a reading per cycle.
            var slice = observations.Slice(offset, count).Select(o => o with { ObservedAt = started }).ToImmutableArray();
            await stream.OnNextAsync(new DiscoveryBatch(id, cycle, started, slice, last, index++));
            if (last)
            {
                return index;
            }
        }
    }

    /// <inheritdoc />
    public async Task PublishStampedAsync(long sequence)
    {
        var tenant = this.GetPrimaryKeyString();
        var stream = this.GetStreamProvider(PdsnoStreams.Provider).GetStream<TopologyEvent>(StreamId.Create(PdsnoStreams.Topology, tenant));
        var e = new TopologyEvent(tenant, sequence, TopologyEventType.DeviceChanged, "bench", "bench-device", null, null, null, null, DateTimeOffset.UtcNow);
        recorder.Stamp(tenant, sequence, Stopwatch.GetTimestamp());
        await stream.OnNextAsync(e);
    }
}
