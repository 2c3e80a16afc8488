using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Pdsno.Abstractions.Devices;
using Pdsno.Abstractions.Discovery;
using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Simulation;
using Pdsno.Discovery.Simulation;

namespace Pdsno.Discovery.Drivers;

/// <summary>
/// The sandbox driver: answers discovery from the tenant's simulated network, as a real network would
/// through SNMP and LLDP: devices that are down do not answer, links that are down show their interfaces
/// down and drop out of both neighbour tables, and counters grow with each link's traffic.
/// </summary>
public sealed class SimulatedDriver(IGrainFactory grains) : IDeviceDriver
{
    /// <summary>The name configuration uses for this driver.</summary>
    public const string DriverName = "simulated";

    private static readonly DateTimeOffset CounterEpoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly ConcurrentDictionary<string, SimulatedNetworkModel> _models = new(StringComparer.Ordinal);

    // One build per definition version, shared by every controller of the silo that asks at once.
    private readonly ConcurrentDictionary<(string Tenant, long Version), Lazy<SimulatedNetworkModel>> _builds = new();

    /// <inheritdoc />
    public string Name => DriverName;

    /// <inheritdoc />
    public async IAsyncEnumerable<DeviceObservation> DiscoverAsync(DiscoveryScope scope, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var tenant = scope.Controller.Region.Tenant;
        var (model, faults) = await ModelAsync(tenant);
        var now = DateTimeOffset.UtcNow;
        var seconds = (now - CounterEpoch).TotalSeconds;
        foreach (var device in model.DevicesIn(scope.Controller.Region.Region))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (faults.DownDevices.Contains(device.Key))
            {
                continue;
            }

            yield return Observe(model, faults, device, now, seconds);
        }
    }

    /// <summary>The model of a tenant's network and its current faults, rebuilding the model only when the definition changed.</summary>
    public async Task<(SimulatedNetworkModel Model, SimulatedFaults Faults)> ModelAsync(string tenant)
    {
        _models.TryGetValue(tenant, out var cached);
        var view = await grains.GetGrain<ISimulatedNetworkGrain>(tenant).GetViewAsync(cached?.Version ?? -1);
        if (view.Definition is not null)
        {
            var definition = view.Definition;
            var build = _builds.GetOrAdd((tenant, definition.Version), _ => new Lazy<SimulatedNetworkModel>(() => SimulatedNetworkModel.Build(definition)));
            cached = build.Value;
            _models[tenant] = cached;
            foreach (var stale in _builds.Keys.Where(k => k.Tenant == tenant && k.Version < definition.Version))
            {
                _builds.TryRemove(stale, out _);
            }
        }

        return (cached!, view.Faults);
    }

    private static DeviceObservation Observe(SimulatedNetworkModel model, SimulatedFaults faults, SimDevice device, DateTimeOffset now, double seconds)
    {
        var offset = faults.CounterOffsets.GetValueOrDefault(device.Key);
        var interfaces = ImmutableArray.CreateBuilder<InterfaceObservation>(device.Interfaces.Length);
        var neighbors = ImmutableArray.CreateBuilder<NeighborObservation>();
        foreach (var i in device.Interfaces)
        {
            var end = model.EndOf(device, i.Name);
            OperStatus oper;
            ulong inOctets = offset, outOctets = offset;
            if (end is null)
            {
                // Index 1 is the management port, always up; other uncabled ports have nothing plugged in.
                oper = i.Index == 1 ? OperStatus.Up : OperStatus.Down;
            }
            else
            {
                var up = !faults.DownLinks.Contains(end.Key) && !faults.DownDevices.Contains(end.Peer.Key);
                oper = up ? OperStatus.Up : OperStatus.Down;
                inOctets = unchecked((ulong)(end.InBytesPerSecond * seconds) + offset);
                outOctets = unchecked((ulong)(end.OutBytesPerSecond * seconds) + offset);
                if (up)
                {
                    neighbors.Add(new NeighborObservation(i.Name, end.Peer.ChassisId, end.PeerInterface, end.Peer.Name));
                }
            }

            interfaces.Add(new InterfaceObservation(i.Index, i.Name, i.Mac, i.SpeedBps, AdminStatus.Up, oper, inOctets, outOctets, 0, 0));
        }

        return new DeviceObservation(
            device.ChassisId, device.Name, device.Vendor, device.Model, device.OsVersion, device.ManagementAddress, device.Role,
            interfaces.MoveToImmutable(), neighbors.ToImmutable(), now);
    }
}
