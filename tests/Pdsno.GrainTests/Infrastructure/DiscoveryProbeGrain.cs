using System.Collections.Immutable;
using Pdsno.Abstractions;
using Pdsno.Abstractions.Discovery;
using Pdsno.Abstractions.Ids;

namespace Pdsno.GrainTests.Infrastructure;

/// <summary>Plays a local controller: publishes one whole discovery cycle on its region's stream. Key: <c>tenant/region/controller</c>.</summary>
[Alias("pdsno.tests.IDiscoveryProbeGrain")]
public interface IDiscoveryProbeGrain : IGrainWithStringKey
{
    /// <summary>Publishes a cycle in which exactly <paramref name="observations"/> were seen.</summary>
    [Alias("RunCycle")]
    Task RunCycleAsync(ImmutableArray<DeviceObservation> observations);
}

/// <summary>Publishes from inside the silo, as a real controller does, with increasing cycle numbers and start times.</summary>
public sealed class DiscoveryProbeGrain : Grain, IDiscoveryProbeGrain
{
    private long _cycle;

    /// <inheritdoc />
    public async Task RunCycleAsync(ImmutableArray<DeviceObservation> observations)
    {
        var controller = ControllerId.Parse(this.GetPrimaryKeyString());
        var stream = this.GetStreamProvider(PdsnoStreams.Provider)
            .GetStream<DiscoveryBatch>(StreamId.Create(PdsnoStreams.Discovery, controller.Region.ToString()));
        await stream.OnNextAsync(new DiscoveryBatch(controller, ++_cycle, DateTimeOffset.UtcNow, observations, EndOfCycle: true, BatchIndex: 0));
    }
}
