namespace Pdsno.Discovery.Simulation;

/// <summary>Generates realistic, reproducible multi-region topologies: the same arguments always give the same network.</summary>
/// <remarks>
/// Each region has two linked core routers; distribution switches come in linked pairs, the first eight pairs
/// homed on both cores and later pairs on an earlier pair (four children per pair) so no device fans out
/// without bound; access switches hang off one pair, some dual-homed. Region cores form a ring over the backbone.
/// </remarks>
public static class SeededTopologyGenerator
{
    private const long Gigabit = 1_000_000_000L;
    private const long TenGigabit = 10_000_000_000L;
    private const long HundredGigabit = 100_000_000_000L;
    private const int PairsOnCore = 8;
    private const int ChildPairsPerPair = 4;

    /// <summary>
    /// Generates <paramref name="deviceCount"/> devices over <paramref name="regionCount"/> regions; a non-zero
    /// <paramref name="saltExtension"/> keeps its addresses apart from another network of the tenant with the same salt.
    /// </summary>
    public static SimulatedTopology Generate(int seed, int deviceCount, int regionCount, string namePrefix = "", int saltExtension = 0)
    {
        if (deviceCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(deviceCount), deviceCount, "A topology needs at least one device.");
        }

        if (regionCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(regionCount), regionCount, "A topology needs at least one region.");
        }

        if (regionCount > deviceCount)
        {
            throw new ArgumentOutOfRangeException(
                nameof(regionCount), regionCount,
                $"Cannot spread {deviceCount} device(s) over {regionCount} regions: every region needs at least one device.");
        }

        if ((ulong)deviceCount > AddressPlan.MaxChassisSerial)
        {
            throw new ArgumentOutOfRangeException(nameof(deviceCount), deviceCount, "Too many devices for the address plan.");
        }

        namePrefix ??= string.Empty;
        var saltSource = SaltSource(seed, namePrefix);
        var rng = new SplitMix64(saltSource);
        var addresses = new AddressPlan(saltSource, saltExtension);
        var managementBase = (int)(saltSource >> 40) & 0x7F;
        var devices = new List<DeviceBuilder>(deviceCount);
        var links = new List<SimLink>(deviceCount * 2);
        var regionCores = new List<(DeviceBuilder First, DeviceBuilder Second)>(regionCount);

        DeviceBuilder NewDevice(string name, string region, string role, double latitude, double longitude)
        {
            var vendor = VendorProfile.Pick(role, rng.NextUInt64());
            var serial = (ulong)devices.Count;
            var device = new DeviceBuilder(
                name, region, role, vendor, addresses.ChassisId(serial),
                AddressPlan.ManagementAddress(managementBase, devices.Count), addresses,
                Math.Round(latitude + ((rng.NextDouble() - 0.5) * 0.6), 5),
                Math.Round(longitude + ((rng.NextDouble() - 0.5) * 0.6), 5));
            devices.Add(device);
            return device;
        }

        void Connect(DeviceBuilder a, DeviceBuilder b, long speedBps) =>
            links.Add(new SimLink(a.Name, a.AddLinkPort(speedBps), b.Name, b.AddLinkPort(speedBps), speedBps));

        for (var r = 0; r < regionCount; r++)
        {
            var size = (deviceCount / regionCount) + (r < deviceCount % regionCount ? 1 : 0);
            var region = $"region-{r + 1}";
            var stem = $"{namePrefix}r{r + 1}-";
            var latitude = -40 + (rng.NextDouble() * 100);
            var longitude = -125 + (rng.NextDouble() * 270);

            var coreCount = Math.Min(2, size);
            var rest = size - coreCount;
            var distributionCount = rest <= 2 ? rest : Math.Max(2, (rest + 10) / 11);
            var accessCount = rest - distributionCount;

            var core1 = NewDevice($"{stem}core-1", region, VendorProfile.Core, latitude, longitude);
            var core2 = core1;
            if (coreCount == 2)
            {
                core2 = NewDevice($"{stem}core-2", region, VendorProfile.Core, latitude, longitude);
                Connect(core1, core2, HundredGigabit);
            }

            regionCores.Add((core1, core2));

            var distribution = new DeviceBuilder[distributionCount];
            for (var j = 0; j < distributionCount; j++)
            {
                var dist = NewDevice($"{stem}dist-{j + 1}", region, VendorProfile.Distribution, latitude, longitude);
                distribution[j] = dist;
                var pair = j / 2;
                if (j % 2 == 1)
                {
                    Connect(distribution[j - 1], dist, TenGigabit);
                }

                if (pair < PairsOnCore)
                {
                    Connect(dist, core1, TenGigabit);
                    if (coreCount == 2)
                    {
                        Connect(dist, core2, TenGigabit);
                    }
                }
                else
                {
                    var parent = (pair - PairsOnCore) / ChildPairsPerPair;
                    Connect(dist, distribution[2 * parent], TenGigabit);
                    if ((2 * parent) + 1 < distributionCount)
                    {
                        Connect(dist, distribution[(2 * parent) + 1], TenGigabit);
                    }
                }
            }

            var pairCount = (distributionCount + 1) / 2;
            for (var k = 0; k < accessCount; k++)
            {
                var access = NewDevice($"{stem}acc-{k + 1}", region, VendorProfile.Access, latitude, longitude);
                var pair = k % pairCount;
                var pairSize = Math.Min(2, distributionCount - (2 * pair));
                var member = (k / pairCount) % pairSize;
                var speed = rng.Chance(0.25) ? TenGigabit : Gigabit;
                Connect(access, distribution[(2 * pair) + member], speed);
                if (pairSize == 2 && rng.Chance(0.4))
                {
                    Connect(access, distribution[(2 * pair) + 1 - member], speed);
                }
            }
        }

        for (var r = 0; r < regionCount && regionCount > 1; r++)
        {
            var next = (r + 1) % regionCount;
            var from = regionCores[r];
            var to = regionCores[next];
            var bothRedundant = from.First != from.Second && to.First != to.Second;

            // Two regions form a "ring" of two links; add the second only where it does not duplicate the first.
            if (regionCount == 2 && r == 1 && !bothRedundant)
            {
                break;
            }

            Connect(from.First, to.Second, HundredGigabit);
        }

        foreach (var device in devices)
        {
            AddSparePorts(device, ref rng);
        }

        return new SimulatedTopology(devices.Select(d => d.Build()), links);
    }

    private static void AddSparePorts(DeviceBuilder device, ref SplitMix64 rng)
    {
        var (count, speed) = device.Role switch
        {
            VendorProfile.Core => (rng.Next(2, 4), HundredGigabit),
            VendorProfile.Distribution => (rng.Next(3, 6), TenGigabit),
            _ => (rng.Next(4, 8), Gigabit),
        };

        for (var i = 0; i < count; i++)
        {
            device.AddPort(speed);
        }
    }

    /// <summary>The salt source of a network generated from <paramref name="seed"/> with <paramref name="namePrefix"/>.</summary>
    internal static ulong SaltSource(int seed, string? namePrefix) => AddressPlan.StableHash($"generated/{seed}/{namePrefix ?? string.Empty}");
}
