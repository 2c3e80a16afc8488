using System.Collections.Immutable;
using Pdsno.Abstractions.Devices;
using Pdsno.Abstractions.Discovery;
using Pdsno.Abstractions.Simulation;
using Pdsno.Discovery.Simulation;

namespace Pdsno.Bench.Workload;

/// <summary>
/// What the simulated driver reports for a healthy generated network (same interfaces, oper states,
/// neighbours and counters), built without the driver so the bench can hold and replay it.
/// </summary>
internal static class ObservationFactory
{
    private static readonly DateTimeOffset CounterEpoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static SimulatedNetworkModel Model(int seed, int devices, int regions) =>
        SimulatedNetworkModel.Build(new SimulatedNetworkDefinition(1, [SimulatedNetworkPart.Generated("default", seed, devices, regions)]));

    public static ImmutableArray<DeviceObservation> ForRegion(SimulatedNetworkModel model, string region, DateTimeOffset now)
    {
        var seconds = (now - CounterEpoch).TotalSeconds;
        var devices = model.DevicesIn(region);
        var result = ImmutableArray.CreateBuilder<DeviceObservation>(devices.Length);
        foreach (var device in devices)
        {
            result.Add(Observe(model, device, now, seconds));
        }

        return result.MoveToImmutable();
    }

    private static DeviceObservation Observe(SimulatedNetworkModel model, SimDevice device, DateTimeOffset now, double seconds)
    {
        var interfaces = ImmutableArray.CreateBuilder<InterfaceObservation>(device.Interfaces.Length);
        var neighbors = ImmutableArray.CreateBuilder<NeighborObservation>();
        foreach (var i in device.Interfaces)
        {
            var end = model.EndOf(device, i.Name);
            ulong inOctets = 0, outOctets = 0;
            var oper = i.Index == 1 ? OperStatus.Up : OperStatus.Down;
            if (end is not null)
            {
                oper = OperStatus.Up;
                inOctets = (ulong)(end.InBytesPerSecond * seconds);
                outOctets = (ulong)(end.OutBytesPerSecond * seconds);
                neighbors.Add(new NeighborObservation(i.Name, end.Peer.ChassisId, end.PeerInterface, end.Peer.Name));
            }

            interfaces.Add(new InterfaceObservation(i.Index, i.Name, i.Mac, i.SpeedBps, AdminStatus.Up, oper, inOctets, outOctets, 0, 0));
        }

        return new DeviceObservation(
            device.ChassisId, device.Name, device.Vendor, device.Model, device.OsVersion, device.ManagementAddress, device.Role,
            interfaces.MoveToImmutable(), neighbors.ToImmutable(), now);
    }
}
