using Orleans.Streams;
using Pdsno.Abstractions;
using Pdsno.Abstractions.Events;
using Pdsno.Bench.Hosting;

namespace Pdsno.Bench.Grains;

/// <summary>Records every topology event it receives, the moment it receives it.</summary>
[GrainType("bench-topology-probe")]
public sealed class TopologyProbeGrain(LatencyRecorder recorder) : Grain, ITopologyProbeGrain
{
    private StreamSubscriptionHandle<TopologyEvent>? _subscription;

    /// <inheritdoc />
    public async Task StartAsync()
    {
        if (_subscription is not null)
        {
            return;
        }

        var stream = this.GetStreamProvider(PdsnoStreams.Provider).GetStream<TopologyEvent>(StreamId.Create(PdsnoStreams.Topology, this.GetPrimaryKeyString()));
        _subscription = await stream.SubscribeAsync((e, _) =>
        {
            recorder.Received(e);
            return Task.CompletedTask;
        });
    }
}
