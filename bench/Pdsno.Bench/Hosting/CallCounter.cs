using Pdsno.Abstractions.Discovery;
using Pdsno.Abstractions.Grains;

namespace Pdsno.Bench.Hosting;

/// <summary>
/// Counts what the silo finished: observations a device grain took (and their interfaces), and stream
/// deliveries a region grain finished processing (each is one discovery batch, end-of-cycle work included).
/// </summary>
internal sealed class CallCounter : IIncomingGrainCallFilter
{
    private static readonly GrainType RegionType = GrainType.Create("region");

    private long _deviceObservations;
    private long _interfaceObservations;
    private long _regionDeliveries;
    private long _failedObservations;

    public long DeviceObservations => Interlocked.Read(ref _deviceObservations);

    public long InterfaceObservations => Interlocked.Read(ref _interfaceObservations);

    public long RegionDeliveries => Interlocked.Read(ref _regionDeliveries);

    public long FailedObservations => Interlocked.Read(ref _failedObservations);

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        var request = context.Request;
        if (request.GetInterfaceType() == typeof(IDeviceGrain))
        {
            if (request.GetArgumentCount() == 2 && request.GetArgument(1) is DeviceObservation observation)
            {
                try
                {
                    await context.Invoke();
                }
                catch
                {
                    Interlocked.Increment(ref _failedObservations);
                    throw;
                }

                Interlocked.Increment(ref _deviceObservations);
                Interlocked.Add(ref _interfaceObservations, observation.Interfaces.IsDefault ? 0 : observation.Interfaces.Length);
                return;
            }

            await context.Invoke();
            return;
        }

        if (context.TargetId.Type == RegionType && request.GetInterfaceName().Contains("StreamConsumerExtension", StringComparison.Ordinal))
        {
            try
            {
                await context.Invoke();
            }
            finally
            {
                Interlocked.Increment(ref _regionDeliveries);
            }

            return;
        }

        await context.Invoke();
    }
}
