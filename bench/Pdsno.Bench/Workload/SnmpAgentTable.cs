using System.Globalization;
using Pdsno.Discovery.Snmp;
using Pdsno.Discovery.Snmp.Discovery;

namespace Pdsno.Bench.Workload;

/// <summary>The MIB table of one simulated device in a ring: SNMPv2-MIB system group, IF-MIB and LLDP-MIB as net-snmp with lldpd publishes them.</summary>
internal static class SnmpAgentTable
{
    private const string IfEntry = "1.3.6.1.2.1.2.2.1";
    private const string IfXEntry = "1.3.6.1.2.1.31.1.1.1";
    private const string LldpLocal = "1.0.8802.1.1.2.1.3";
    private const string LldpRemEntry = "1.0.8802.1.1.2.1.4.1.1";

    /// <summary>Device <paramref name="index"/> of <paramref name="count"/>: lo, mgmt0 and eth1..eth8, with eth1 and eth2 linked to the ring neighbours.</summary>
    public static SortedDictionary<Oid, SnmpValue> Build(int index, int count, int interfaces = 10)
    {
        var table = new SortedDictionary<Oid, SnmpValue>();
        void Set(string oid, SnmpValue value) => table[Oid.Parse(oid)] = value;

        var name = Name(index);
        Set("1.3.6.1.2.1.1.1.0", SnmpValue.OctetString($"PDSNO-Bench vRouter {name}, Linux 6.1.0-18-amd64 x86_64, net-snmp 5.9.3, lldpd 1.0.16"));
        Set("1.3.6.1.2.1.1.2.0", SnmpValue.ObjectIdentifier(Oid.Parse("1.3.6.1.4.1.8072.3.2.10")));
        Set("1.3.6.1.2.1.1.3.0", SnmpValue.TimeTicks((uint)(1_000_000 + index)));
        Set("1.3.6.1.2.1.1.4.0", SnmpValue.OctetString("noc@example.net"));
        Set("1.3.6.1.2.1.1.5.0", SnmpValue.OctetString(name));
        Set("1.3.6.1.2.1.1.6.0", SnmpValue.OctetString($"bench, rack {index / 40}"));

        for (var i = 1; i <= interfaces; i++)
        {
            var ifName = i switch { 1 => "lo", 2 => "mgmt0", _ => "eth" + (i - 2).ToString(CultureInfo.InvariantCulture) };
            var loopback = i == 1;
            var octets = (ulong)((index * 7_919L) + (i * 104_729L)) * 1_000;
            Set($"{IfEntry}.1.{i}", SnmpValue.Integer32(i));
            Set($"{IfEntry}.2.{i}", SnmpValue.OctetString(ifName));
            Set($"{IfEntry}.3.{i}", SnmpValue.Integer32(loopback ? 24 : 6));
            Set($"{IfEntry}.4.{i}", SnmpValue.Integer32(loopback ? 65_536 : 1_500));
            Set($"{IfEntry}.5.{i}", SnmpValue.Gauge32(loopback ? 10_000_000u : 1_000_000_000u));
            Set($"{IfEntry}.6.{i}", SnmpValue.OctetString(loopback ? [] : Mac(index, i)));
            Set($"{IfEntry}.7.{i}", SnmpValue.Integer32(1));
            Set($"{IfEntry}.8.{i}", SnmpValue.Integer32(i <= 4 ? 1 : 2));
            Set($"{IfEntry}.9.{i}", SnmpValue.TimeTicks(1_200));
            Set($"{IfEntry}.10.{i}", SnmpValue.Counter32((uint)(octets & uint.MaxValue)));
            Set($"{IfEntry}.11.{i}", SnmpValue.Counter32((uint)(octets / 900)));
            Set($"{IfEntry}.13.{i}", SnmpValue.Counter32(0));
            Set($"{IfEntry}.14.{i}", SnmpValue.Counter32(2));
            Set($"{IfEntry}.16.{i}", SnmpValue.Counter32((uint)((octets * 2) & uint.MaxValue)));
            Set($"{IfEntry}.17.{i}", SnmpValue.Counter32((uint)(octets / 800)));
            Set($"{IfEntry}.19.{i}", SnmpValue.Counter32(0));
            Set($"{IfEntry}.20.{i}", SnmpValue.Counter32(1));
            Set($"{IfXEntry}.1.{i}", SnmpValue.OctetString(ifName));
            Set($"{IfXEntry}.2.{i}", SnmpValue.Counter32(10));
            Set($"{IfXEntry}.3.{i}", SnmpValue.Counter32(5));
            Set($"{IfXEntry}.6.{i}", SnmpValue.Counter64(octets));
            Set($"{IfXEntry}.7.{i}", SnmpValue.Counter64(octets / 900));
            Set($"{IfXEntry}.10.{i}", SnmpValue.Counter64(octets * 2));
            Set($"{IfXEntry}.11.{i}", SnmpValue.Counter64(octets / 800));
            Set($"{IfXEntry}.15.{i}", SnmpValue.Gauge32(loopback ? 10u : 1_000u));
            Set($"{IfXEntry}.18.{i}", SnmpValue.OctetString(i is 3 or 4 ? $"to {Name(Neighbour(index, count, i))}" : ""));
        }

        Set($"{LldpLocal}.1.0", SnmpValue.Integer32(LldpIds.ChassisMac));
        Set($"{LldpLocal}.2.0", SnmpValue.OctetString(Mac(index, 0)));
        Set($"{LldpLocal}.3.0", SnmpValue.OctetString(name));
        Set($"{LldpLocal}.4.0", SnmpValue.OctetString("PDSNO-Bench vRouter"));
        for (var i = 3; i <= interfaces; i++)
        {
            Set($"{LldpLocal}.7.1.2.{i}", SnmpValue.Integer32(LldpIds.PortMac));
            Set($"{LldpLocal}.7.1.3.{i}", SnmpValue.OctetString(Mac(index, i)));
            Set($"{LldpLocal}.7.1.4.{i}", SnmpValue.OctetString("eth" + (i - 2).ToString(CultureInfo.InvariantCulture)));
        }

        // eth1 (ifIndex 3) faces the previous device's eth2 (ifIndex 4) and eth2 the next device's eth1.
        if (count > 1)
        {
            foreach (var (local, remotePort) in new[] { (3, 4), (4, 3) })
            {
                var neighbour = Neighbour(index, count, local);
                var row = $"1000.{local}.1";
                Set($"{LldpRemEntry}.4.{row}", SnmpValue.Integer32(LldpIds.ChassisMac));
                Set($"{LldpRemEntry}.5.{row}", SnmpValue.OctetString(Mac(neighbour, 0)));
                Set($"{LldpRemEntry}.6.{row}", SnmpValue.Integer32(LldpIds.PortMac));
                Set($"{LldpRemEntry}.7.{row}", SnmpValue.OctetString(Mac(neighbour, remotePort)));
                Set($"{LldpRemEntry}.8.{row}", SnmpValue.OctetString("eth" + (remotePort - 2).ToString(CultureInfo.InvariantCulture)));
                Set($"{LldpRemEntry}.9.{row}", SnmpValue.OctetString(Name(neighbour)));
                Set($"{LldpRemEntry}.10.{row}", SnmpValue.OctetString("PDSNO-Bench vRouter"));
                Set($"{LldpRemEntry}.12.{row}", SnmpValue.OctetString([0x28]));
            }
        }

        return table;
    }

    private static string Name(int index) => "bench" + (index + 1).ToString("D4", CultureInfo.InvariantCulture);

    private static int Neighbour(int index, int count, int ifIndex) => ifIndex == 3 ? (index + count - 1) % count : (index + 1) % count;

    private static byte[] Mac(int device, int port) => [0x02, 0x50, 0x42, (byte)(device >> 8), (byte)device, (byte)port];
}
