using System.Collections.Immutable;
using Pdsno.Abstractions.Devices;
using Pdsno.Abstractions.Discovery;
using Pdsno.Abstractions.Events;
using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Ids;
using Pdsno.Abstractions.Security;
using Pdsno.GrainTests.Infrastructure;

namespace Pdsno.GrainTests;

/// <summary>What discovery does to a device, through the region's reconciler, as the event log and the API show it.</summary>
[Collection(ClusterGroup.Name)]
public sealed class DeviceLifecycleTests(ClusterFixture cluster)
{
    private readonly string _tenant = Callers.NewTenant();

    [Fact]
    public async Task A_discovered_device_is_active_with_its_events_and_row()
    {
        var (probe, device) = Setup("north", "aa:00:00:00:00:01");

        await probe.RunCycleAsync([Router("aa:00:00:00:00:01", "core-1")]);
        var added = await cluster.Projection.WaitForEventAsync(e => e.Tenant == _tenant && e.Type == TopologyEventType.DeviceAdded);

        Assert.Equal(device.Device, added.Device);
        Assert.Equal("north", added.Region);
        Assert.Equal("core-1", added.NewValue);
        var snapshot = await Snapshot(device);
        Assert.Equal(DeviceStatus.Active, snapshot.Status);
        Assert.Equal("north", snapshot.Region);
        Assert.Equal(["eth0", "eth1"], snapshot.Interfaces.Select(i => i.Name));
        var row = cluster.Projection.Device(_tenant, device.Device);
        Assert.NotNull(row);
        Assert.Equal("ACTIVE", row.Status);
        Assert.Equal(snapshot.Version, row.StateVersion);
        Assert.Equal(["eth0", "eth1"], row.Interfaces!.Select(i => i.Name));
    }

    [Fact]
    public async Task Missed_cycles_make_a_device_unreachable_then_inactive_and_seeing_it_again_makes_it_active()
    {
        var (probe, device) = Setup("south", "aa:00:00:00:00:02");
        var router = Router("aa:00:00:00:00:02", "edge-1");

        await probe.RunCycleAsync([router]);
        await cluster.Projection.WaitForEventAsync(e => e.Tenant == _tenant && e.Type == TopologyEventType.DeviceAdded);
        await probe.RunCycleAsync([]);
        await WaitForStatus("UNREACHABLE");
        Assert.Equal(DeviceStatus.Unreachable, (await Snapshot(device)).Status);

        // The default policy: INACTIVE from the third missed cycle; the second changes nothing.
        await probe.RunCycleAsync([]);
        await probe.RunCycleAsync([]);
        await WaitForStatus("INACTIVE");
        Assert.Equal(DeviceStatus.Inactive, (await Snapshot(device)).Status);

        await probe.RunCycleAsync([router]);
        await WaitForStatus("ACTIVE");
        Assert.Equal(DeviceStatus.Active, (await Snapshot(device)).Status);

        var transitions = cluster.Projection.Events(_tenant)
            .Where(e => e.Type == TopologyEventType.DeviceStatusChanged && e.Device == device.Device)
            .Select(e => $"{e.OldValue}->{e.NewValue}");
        Assert.Equal(["ACTIVE->UNREACHABLE", "UNREACHABLE->INACTIVE", "INACTIVE->ACTIVE"], transitions);
        Assert.Equal("ACTIVE", cluster.Projection.Device(_tenant, device.Device)!.Status);
    }

    [Fact]
    public async Task A_change_made_while_the_database_is_away_is_kept_and_announced_once_it_is_back()
    {
        var (probe, device) = Setup("east", "aa:00:00:00:00:03");
        cluster.Projection.SetAvailable(_tenant, available: false);
        var refused = cluster.Projection.WaitForRefusalAsync(w => w.Device?.Device == device.Device);

        await probe.RunCycleAsync([Router("aa:00:00:00:00:03", "core-9")]);
        await refused;

        // The grain state is the authority: the device is known although nothing reached the log yet.
        Assert.Equal(DeviceStatus.Active, (await Snapshot(device)).Status);
        Assert.DoesNotContain(cluster.Projection.Events(_tenant), e => e.Device == device.Device);

        cluster.Projection.SetAvailable(_tenant, available: true);
        await cluster.Projection.WaitForEventAsync(e => e.Tenant == _tenant && e.Device == device.Device && e.Type == TopologyEventType.DeviceAdded);
        Assert.Equal("ACTIVE", cluster.Projection.Device(_tenant, device.Device)!.Status);
        Assert.Single(cluster.Projection.Events(_tenant), e => e.Device == device.Device && e.Type == TopologyEventType.DeviceAdded);
    }

    private (IDiscoveryProbeGrain Probe, DeviceId Device) Setup(string region, string chassis) =>
        (cluster.Client.GetGrain<IDiscoveryProbeGrain>(new ControllerId(new RegionId(_tenant, region), "probe").ToString()), DeviceId.ForChassis(_tenant, chassis));

    private Task<TopologyEvent> WaitForStatus(string status) =>
        cluster.Projection.WaitForEventAsync(e => e.Tenant == _tenant && e.Type == TopologyEventType.DeviceStatusChanged && e.NewValue == status);

    private async Task<DeviceSnapshot> Snapshot(DeviceId device)
    {
        var snapshot = await Callers.Of(_tenant, Roles.Viewer).AsAsync(() => cluster.Client.GetGrain<IDeviceGrain>(device.ToString()).GetSnapshotAsync());
        return snapshot ?? throw new InvalidOperationException($"device {device} is not known");
    }

    private static DeviceObservation Router(string chassis, string name) => new(
        chassis, name, "acme", "r1", "1.0", "192.0.2.1", "router",
        [
            new InterfaceObservation(1, "eth0", "aa:00:00:00:10:01", 1_000_000_000, AdminStatus.Up, OperStatus.Up, 0, 0, 0, 0),
            new InterfaceObservation(2, "eth1", "aa:00:00:00:10:02", 1_000_000_000, AdminStatus.Up, OperStatus.Up, 0, 0, 0, 0),
        ],
        ImmutableArray<NeighborObservation>.Empty,
        DateTimeOffset.UtcNow);
}
