using System.Text;
using Pdsno.Discovery.Snmp;

namespace Pdsno.UnitTests.Snmp.Driver;

/// <summary>Builds the MIB table of a fake device the way net-snmp with lldpd publishes it.</summary>
internal sealed class FakeSnmpDevice(string name)
{
    private readonly SortedDictionary<Oid, SnmpValue> _table = [];

    public string Name { get; } = name;

    public IEnumerable<KeyValuePair<Oid, SnmpValue>> Table => _table;

    public FakeSnmpDevice System(string sysObjectId, string sysDescr, string? sysName = null)
    {
        Set("1.3.6.1.2.1.1.1.0", SnmpValue.OctetString(sysDescr));
        Set("1.3.6.1.2.1.1.2.0", SnmpValue.ObjectIdentifier(Oid.Parse(sysObjectId)));
        Set("1.3.6.1.2.1.1.3.0", SnmpValue.TimeTicks(123_456));
        Set("1.3.6.1.2.1.1.5.0", SnmpValue.OctetString(sysName ?? Name));
        Set("1.3.6.1.2.1.1.6.0", SnmpValue.OctetString("rack 1"));
        return this;
    }

    public FakeSnmpDevice Interface(
        int index, string? name, byte[] mac, uint highSpeedMbps = 10_000, uint speed = uint.MaxValue, int oper = 1,
        ulong inOctets = 1_000, ulong outOctets = 2_000, bool hc = true)
    {
        var i = (uint)index;
        Set($"1.3.6.1.2.1.2.2.1.1.{i}", SnmpValue.Integer32(index));
        Set($"1.3.6.1.2.1.2.2.1.2.{i}", SnmpValue.OctetString(name ?? ""));
        Set($"1.3.6.1.2.1.2.2.1.5.{i}", SnmpValue.Gauge32(speed));
        Set($"1.3.6.1.2.1.2.2.1.6.{i}", SnmpValue.OctetString(mac));
        Set($"1.3.6.1.2.1.2.2.1.7.{i}", SnmpValue.Integer32(1));
        Set($"1.3.6.1.2.1.2.2.1.8.{i}", SnmpValue.Integer32(oper));
        Set($"1.3.6.1.2.1.2.2.1.10.{i}", SnmpValue.Counter32((uint)(inOctets & uint.MaxValue)));
        Set($"1.3.6.1.2.1.2.2.1.14.{i}", SnmpValue.Counter32(3));
        Set($"1.3.6.1.2.1.2.2.1.16.{i}", SnmpValue.Counter32((uint)(outOctets & uint.MaxValue)));
        Set($"1.3.6.1.2.1.2.2.1.20.{i}", SnmpValue.Counter32(4));
        if (hc)
        {
            Set($"1.3.6.1.2.1.31.1.1.1.1.{i}", SnmpValue.OctetString(name ?? ""));
            Set($"1.3.6.1.2.1.31.1.1.1.6.{i}", SnmpValue.Counter64(inOctets));
            Set($"1.3.6.1.2.1.31.1.1.1.10.{i}", SnmpValue.Counter64(outOctets));
            Set($"1.3.6.1.2.1.31.1.1.1.15.{i}", SnmpValue.Gauge32(highSpeedMbps));
            Set($"1.3.6.1.2.1.31.1.1.1.18.{i}", SnmpValue.OctetString(""));
        }

        return this;
    }

    public FakeSnmpDevice LocalChassis(int subtype, byte[] id)
    {
        Set("1.0.8802.1.1.2.1.3.1.0", SnmpValue.Integer32(subtype));
        Set("1.0.8802.1.1.2.1.3.2.0", SnmpValue.OctetString(id));
        Set("1.0.8802.1.1.2.1.3.3.0", SnmpValue.OctetString(Name));
        return this;
    }

    public FakeSnmpDevice LocalPort(int port, int subtype, byte[] id, string desc)
    {
        Set($"1.0.8802.1.1.2.1.3.7.1.2.{port}", SnmpValue.Integer32(subtype));
        Set($"1.0.8802.1.1.2.1.3.7.1.3.{port}", SnmpValue.OctetString(id));
        Set($"1.0.8802.1.1.2.1.3.7.1.4.{port}", SnmpValue.OctetString(desc));
        return this;
    }

    /// <summary>An lldpRemTable row; index is timeMark.localPort.remIndex as lldpd writes it.</summary>
    public FakeSnmpDevice Remote(
        uint timeMark, int localPort, uint remIndex, int chassisSubtype, byte[] chassisId, int portSubtype, byte[] portId, string portDesc, string sysName)
    {
        var index = $"{timeMark}.{localPort}.{remIndex}";
        Set($"1.0.8802.1.1.2.1.4.1.1.4.{index}", SnmpValue.Integer32(chassisSubtype));
        Set($"1.0.8802.1.1.2.1.4.1.1.5.{index}", SnmpValue.OctetString(chassisId));
        Set($"1.0.8802.1.1.2.1.4.1.1.6.{index}", SnmpValue.Integer32(portSubtype));
        Set($"1.0.8802.1.1.2.1.4.1.1.7.{index}", SnmpValue.OctetString(portId));
        Set($"1.0.8802.1.1.2.1.4.1.1.8.{index}", SnmpValue.OctetString(portDesc));
        Set($"1.0.8802.1.1.2.1.4.1.1.9.{index}", SnmpValue.OctetString(sysName));
        Set($"1.0.8802.1.1.2.1.4.1.1.12.{index}", SnmpValue.OctetString([0x08]));
        return this;
    }

    public FakeSnmpDevice Set(string oid, SnmpValue value)
    {
        _table[Oid.Parse(oid)] = value;
        return this;
    }

    public static byte[] Mac(int device, int port) => [0x02, 0x50, 0x44, 0x00, (byte)device, (byte)port];

    public static byte[] Text(string text) => Encoding.UTF8.GetBytes(text);
}
