using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Pdsno.Abstractions.Config;
using Pdsno.Abstractions.Devices;
using Pdsno.Abstractions.Discovery;
using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Simulation;
using Pdsno.Discovery.Simulation;

namespace Pdsno.Discovery.Drivers;

/// <summary>
/// The sandbox driver: answers discovery from the tenant's simulated network, as a real network would
/// through SNMP and LLDP: devices that are down do not answer, links that are down show their interfaces
/// down and drop out of both neighbour tables, and counters grow with each link's traffic. Each device reports its
/// running config (see <see cref="SimulatedConfigDriver"/>); an interface disabled there is admin and oper down and
/// takes its link down.
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
        var region = scope.Controller.Region.Region;
        var configs = await RunningConfigsAsync(tenant, model, region, cancellationToken);
        var now = DateTimeOffset.UtcNow;
        var seconds = (now - CounterEpoch).TotalSeconds;
        foreach (var device in model.DevicesIn(region))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (faults.DownDevices.Contains(device.Key))
            {
                continue;
            }

            yield return Observe(model, faults, configs, device, now, seconds);
        }
    }

    /// <summary>
    /// The running configs that differ from the generated ones, by device key, of a region's devices and of their peers
    /// in other regions (a link is down when either end is disabled): one call per region concerned for the list of
    /// configured devices, then one per configured device. Devices nobody configured cost nothing.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, DeviceConfig>> RunningConfigsAsync(string tenant, SimulatedNetworkModel model, string region, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        var devices = model.DevicesIn(region);
        var wanted = new HashSet<string>(devices.Select(d => d.Key), StringComparer.Ordinal);
        foreach (var device in devices)
        {
            foreach (var i in device.Interfaces)
            {
                if (model.EndOf(device, i.Name) is { } end)
                {
                    wanted.Add(end.Peer.Key);
                }
            }
        }

        var regions = wanted.Select(k => model.FindDevice(k)!.Region).Distinct(StringComparer.Ordinal).ToList();
        var listed = await Task.WhenAll(regions.Select(async r =>
            (Region: r, Names: await grains.GetGrain<ISimulatedRegionConfigGrain>($"{tenant}/{r}").GetConfiguredAsync())));
        var configured = listed
            .SelectMany(l => l.Names.Select(n => SimulatedFaults.DeviceKey(l.Region, n)))
            .Where(wanted.Contains)
            .ToList();
        var running = await Task.WhenAll(configured.Select(async key =>
        {
            var d = model.FindDevice(key)!;
            return (Key: key, (await grains.GetGrain<ISimulatedDeviceGrain>(SimulatedConfigDefaults.Key(tenant, d.Region, d.Name)).GetAsync().WaitAsync(cancellationToken)).Running);
        }));
        return running.Where(r => r.Running is not null).ToDictionary(r => r.Key, r => r.Running!, StringComparer.Ordinal);
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

    private static DeviceObservation Observe(SimulatedNetworkModel model, SimulatedFaults faults, IReadOnlyDictionary<string, DeviceConfig> configs, SimDevice device, DateTimeOffset now, double seconds)
    {
        var offset = faults.CounterOffsets.GetValueOrDefault(device.Key);
        var config = configs.GetValueOrDefault(device.Key) ?? SimulatedConfigDefaults.For(device.Name, device.Interfaces.Select(i => i.Name));
        var disabled = SimulatedConfigDefaults.Disabled(config);
        var interfaces = ImmutableArray.CreateBuilder<InterfaceObservation>(device.Interfaces.Length);
        var neighbors = ImmutableArray.CreateBuilder<NeighborObservation>();
        foreach (var i in device.Interfaces)
        {
            var end = model.EndOf(device, i.Name);
            var enabled = !disabled.Contains(i.Name);
            OperStatus oper;
            ulong inOctets = offset, outOctets = offset;
            if (end is null)
            {
                // Index 1 is the management port, always up; other uncabled ports have nothing plugged in.
                oper = i.Index == 1 && enabled ? OperStatus.Up : OperStatus.Down;
            }
            else
            {
                // A link is up when both ends are enabled and nothing broke it; LLDP sees nothing across a link that is down.
                var peerDisabled = configs.TryGetValue(end.Peer.Key, out var peer) && SimulatedConfigDefaults.Disabled(peer).Contains(end.PeerInterface);
                var up = enabled && !peerDisabled && !faults.DownLinks.Contains(end.Key) && !faults.DownDevices.Contains(end.Peer.Key);
                oper = up ? OperStatus.Up : OperStatus.Down;
                inOctets = unchecked((ulong)(end.InBytesPerSecond * seconds) + offset);
                outOctets = unchecked((ulong)(end.OutBytesPerSecond * seconds) + offset);
                if (up)
                {
                    neighbors.Add(new NeighborObservation(i.Name, end.Peer.ChassisId, end.PeerInterface, end.Peer.Name));
                }
            }

            interfaces.Add(new InterfaceObservation(i.Index, i.Name, i.Mac, i.SpeedBps, enabled ? AdminStatus.Up : AdminStatus.Down, oper, inOctets, outOctets, 0, 0));
        }

        return new DeviceObservation(
            device.ChassisId, device.Name, device.Vendor, device.Model, device.OsVersion, device.ManagementAddress, device.Role,
            interfaces.MoveToImmutable(), neighbors.ToImmutable(), now, Config: config, ConfigSections: ConfigSections.All);
    }
}
