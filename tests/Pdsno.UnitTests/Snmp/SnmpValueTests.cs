using System.Net;
using Pdsno.Discovery.Snmp;

namespace Pdsno.UnitTests.Snmp;

public class SnmpValueTests
{
    [Fact]
    public void Text_octet_strings_read_as_text_and_binary_ones_as_hex()
    {
        Assert.Equal("Linux router 6.1", SnmpValue.OctetString("Linux router 6.1").AsString());
        Assert.Equal("00:1a:2b:3c:4d:5e", SnmpValue.OctetString([0x00, 0x1A, 0x2B, 0x3C, 0x4D, 0x5E]).AsString());
        Assert.Equal("00:00:00:00:00:00", SnmpValue.OctetString(new byte[6]).AsString());
        Assert.Equal("ge-0/0/1", SnmpValue.OctetString("ge-0/0/1\0"u8).AsString());
        Assert.Equal("ff:fe", SnmpValue.OctetString([0xFF, 0xFE]).AsString());
        Assert.Equal(new byte[] { 0, 0x1A }, SnmpValue.OctetString([0, 0x1A]).AsBytes().ToArray());
    }

    [Fact]
    public void Numbers_convert_where_they_fit_and_refuse_where_they_do_not()
    {
        Assert.Equal(-5, SnmpValue.Integer32(-5).AsInt64());
        Assert.Equal(uint.MaxValue, SnmpValue.Counter32(uint.MaxValue).AsUInt64());
        Assert.Equal(ulong.MaxValue, SnmpValue.Counter64(ulong.MaxValue).AsUInt64());
        Assert.Equal(100L, SnmpValue.TimeTicks(100).AsInt64());
        Assert.Throws<OverflowException>(() => SnmpValue.Counter64(ulong.MaxValue).AsInt64());
        Assert.Throws<OverflowException>(() => SnmpValue.Integer32(-1).AsUInt64());
        Assert.Throws<InvalidOperationException>(() => SnmpValue.OctetString("x").AsInt64());
        Assert.Throws<InvalidOperationException>(() => SnmpValue.Integer32(1).AsOid());
    }

    [Fact]
    public void Exceptions_are_flagged_and_default_is_null()
    {
        Assert.True(SnmpValue.NoSuchObject.IsException);
        Assert.True(SnmpValue.NoSuchInstance.IsException);
        Assert.True(SnmpValue.EndOfMibView.IsException);
        Assert.False(SnmpValue.Null.IsException);
        Assert.Equal(SnmpType.Null, default(SnmpValue).Type);
        Assert.Equal(SnmpValue.Null, default);
    }

    [Fact]
    public void Addresses_and_oids_come_back_typed()
    {
        Assert.Equal(IPAddress.Parse("10.1.2.3"), SnmpValue.IpAddress(IPAddress.Parse("10.1.2.3")).AsIPAddress());
        Assert.Equal(Oid.Parse("1.3.6.1.4.1.2636.1.1.1.2.21"), SnmpValue.ObjectIdentifier(Oid.Parse("1.3.6.1.4.1.2636.1.1.1.2.21")).AsOid());
        Assert.Throws<ArgumentException>(() => SnmpValue.IpAddress(IPAddress.IPv6Loopback));
    }
}
