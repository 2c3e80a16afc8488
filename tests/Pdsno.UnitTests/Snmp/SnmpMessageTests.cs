using System.Net;
using Pdsno.Discovery.Snmp;

namespace Pdsno.UnitTests.Snmp;

public class SnmpMessageTests
{
    internal static readonly VarBind[] EveryType =
    [
        new(Oid.Parse("1.3.6.1.2.1.1.1.0"), SnmpValue.OctetString("Juniper Networks, Inc. mx480")),
        new(Oid.Parse("1.3.6.1.2.1.1.2.0"), SnmpValue.ObjectIdentifier(Oid.Parse("1.3.6.1.4.1.2636.1.1.1.2.25"))),
        new(Oid.Parse("1.3.6.1.2.1.1.3.0"), SnmpValue.TimeTicks(123_456_789)),
        new(Oid.Parse("1.3.6.1.2.1.2.2.1.6.3"), SnmpValue.OctetString([0x00, 0x05, 0x86, 0x71, 0x1A, 0xC0])),
        new(Oid.Parse("1.3.6.1.2.1.2.2.1.7.3"), SnmpValue.Integer32(int.MinValue)),
        new(Oid.Parse("1.3.6.1.2.1.2.2.1.10.3"), SnmpValue.Counter32(uint.MaxValue)),
        new(Oid.Parse("1.3.6.1.2.1.2.2.1.5.3"), SnmpValue.Gauge32(4_000_000_000)),
        new(Oid.Parse("1.3.6.1.2.1.31.1.1.1.6.3"), SnmpValue.Counter64(ulong.MaxValue)),
        new(Oid.Parse("1.3.6.1.2.1.4.20.1.1.10.0.0.1"), SnmpValue.IpAddress(IPAddress.Parse("10.0.0.1"))),
        new(Oid.Parse("1.3.6.1.4.1.2021.10.1.6.1"), SnmpValue.Opaque([0x9F, 0x78, 0x04, 0x3F, 0x80, 0x00, 0x00])),
        new(Oid.Parse("1.3.6.1.2.1.1.9.0"), SnmpValue.Null),
        new(Oid.Parse("1.3.6.1.2.1.99.0"), SnmpValue.NoSuchObject),
        new(Oid.Parse("1.3.6.1.2.1.1.1.1"), SnmpValue.NoSuchInstance),
        new(Oid.Parse("2.999.4294967295"), SnmpValue.EndOfMibView),
    ];

    [Theory]
    [InlineData(SnmpPduType.GetRequest)]
    [InlineData(SnmpPduType.GetNextRequest)]
    [InlineData(SnmpPduType.Response)]
    [InlineData(SnmpPduType.SnmpV2Trap)]
    [InlineData(SnmpPduType.Report)]
    [InlineData(SnmpPduType.InformRequest)]
    public void Every_pdu_and_value_type_round_trips(SnmpPduType type)
    {
        var message = new SnmpMessage(SnmpVersion.V2c, "s3cr&t", new SnmpPdu(type, -42, EveryType, SnmpErrorStatus.GenErr, 7));

        var decoded = SnmpMessage.Decode(message.Encode());

        Assert.Equal(SnmpVersion.V2c, decoded.Version);
        Assert.Equal("s3cr&t", decoded.Community);
        Assert.Equal(type, decoded.Pdu.Type);
        Assert.Equal(-42, decoded.Pdu.RequestId);
        Assert.Equal(SnmpErrorStatus.GenErr, decoded.Pdu.ErrorStatus);
        Assert.Equal(7, decoded.Pdu.ErrorIndex);
        Assert.Equal(EveryType, decoded.Pdu.VarBinds);
    }

    [Fact]
    public void A_bulk_answer_larger_than_the_short_form_round_trips()
    {
        var varBinds = Enumerable.Range(1, 500)
            .Select(i => new VarBind(Oid.Parse("1.3.6.1.2.1.2.2.1.2").Append((uint)i), SnmpValue.OctetString($"eth{i}")))
            .ToArray();
        var message = new SnmpMessage(SnmpVersion.V2c, "public", new SnmpPdu(SnmpPduType.Response, 9, varBinds));

        var bytes = message.Encode();
        Assert.Equal(0x82, bytes[1]);
        Assert.Equal(varBinds, SnmpMessage.Decode(bytes).Pdu.VarBinds);
    }

    [Fact]
    public void Too_many_varbinds_are_refused_before_they_are_allocated()
    {
        var varBinds = Enumerable.Repeat(new VarBind(Oid.Parse("0.0"), SnmpValue.Null), SnmpMessage.MaxVarBinds + 1).ToArray();
        var bytes = new SnmpMessage(SnmpVersion.V2c, "public", new SnmpPdu(SnmpPduType.Response, 1, varBinds)).Encode();

        var e = Assert.Throws<SnmpDecodeException>(() => SnmpMessage.Decode(bytes));
        Assert.Contains("more than", e.Message, StringComparison.Ordinal);
    }
}
