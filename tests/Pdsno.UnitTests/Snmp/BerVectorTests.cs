using Pdsno.Discovery.Snmp;

namespace Pdsno.UnitTests.Snmp;

public class BerVectorTests
{
    // Hand-assembled from RFC 3416 / X.690: GetRequest, community "public", request-id 1, sysDescr.0.
    private const string GetSysDescr =
        "3026" + "020101" + "0406" + "7075626C6963" + "A019" + "020101" + "020100" + "020100"
        + "300E" + "300C" + "0608" + "2B06010201010100" + "0500";

    [Theory]
    [InlineData(0L, "020100")]
    [InlineData(127L, "02017F")]
    [InlineData(128L, "02020080")]
    [InlineData(256L, "02020100")]
    [InlineData(-1L, "0201FF")]
    [InlineData(-128L, "020180")]
    [InlineData(-129L, "0202FF7F")]
    [InlineData(int.MaxValue, "02047FFFFFFF")]
    [InlineData(int.MinValue, "020480000000")]
    [InlineData(long.MaxValue, "02087FFFFFFFFFFFFFFF")]
    [InlineData(long.MinValue, "02088000000000000000")]
    public void Integers_encode_minimally_and_decode_back(long value, string hex)
    {
        using var writer = new BerWriter();
        writer.WriteInteger(value);
        Assert.Equal(hex, Convert.ToHexString(writer.WrittenSpan));

        var reader = new BerReader(Convert.FromHexString(hex));
        Assert.Equal(value, reader.ReadInteger());
        Assert.False(reader.HasData);
    }

    [Theory]
    [InlineData("1.3.6.1.2.1.1.1.0", "06082B06010201010100")]
    [InlineData("1.3.6.1.4.1.2636", "06072B06010401944C")]
    [InlineData("2.999", "06028837")]
    [InlineData("2.999.3", "0603883703")]
    [InlineData("0.0", "060100")]
    [InlineData("1.3.6.1.4.1.4294967295", "060A2B060104018FFFFFFF7F")]
    [InlineData("1.3.6.1.2.1.31.1.1.1.6.128", "060C2B060102011F010101068100")]
    public void Oids_encode_with_base128_sub_identifiers(string text, string hex)
    {
        using var writer = new BerWriter();
        writer.WriteOid(Oid.Parse(text));
        Assert.Equal(hex, Convert.ToHexString(writer.WrittenSpan));

        var reader = new BerReader(Convert.FromHexString(hex));
        Assert.Equal(text, reader.ReadOid().ToString());
    }

    public static TheoryData<string, string> Values => new()
    {
        { "0500", "Null" },
        { "040568656C6C6F", "OctetString: hello" },
        { "0406001A2B3C4D5E", "OctetString: 00:1a:2b:3c:4d:5e" },
        { "4004C0A80101", "IpAddress: 192.168.1.1" },
        { "410100", "Counter32: 0" },
        { "410500FFFFFFFF", "Counter32: 4294967295" },
        { "42040098967F", "Gauge32: 9999999" },
        { "4303010000", "TimeTicks: 65536" },
        { "4403DEADBE", "Opaque: de:ad:be" },
        { "460900FFFFFFFFFFFFFFFF", "Counter64: 18446744073709551615" },
        { "46050100000000", "Counter64: 4294967296" },
        { "06032B0601", "ObjectIdentifier: 1.3.6.1" },
        { "8000", "NoSuchObject" },
        { "8100", "NoSuchInstance" },
        { "8200", "EndOfMibView" },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void Values_decode_and_encode_back_to_the_same_bytes(string hex, string expected)
    {
        var reader = new BerReader(Convert.FromHexString(hex));
        var value = reader.ReadValue();
        Assert.Equal(expected, value.ToString());

        using var writer = new BerWriter();
        writer.WriteValue(value);
        Assert.Equal(hex, Convert.ToHexString(writer.WrittenSpan));
    }

    [Fact]
    public void Counter32_without_its_leading_zero_still_reads_as_unsigned()
    {
        // Several embedded agents send 0xFFFFFFFF as four bytes; that is 2^32-1, not -1.
        var reader = new BerReader(Convert.FromHexString("4104FFFFFFFF"));
        Assert.Equal(uint.MaxValue, reader.ReadValue().AsUInt64());
    }

    [Theory]
    [InlineData(0, "0400")]
    [InlineData(127, "047F")]
    [InlineData(128, "048180")]
    [InlineData(200, "0481C8")]
    [InlineData(255, "0481FF")]
    [InlineData(256, "04820100")]
    [InlineData(300, "0482012C")]
    [InlineData(70_000, "0483011170")]
    public void Lengths_use_the_short_form_below_128_and_the_long_form_above(int size, string header)
    {
        var content = Enumerable.Range(0, size).Select(i => (byte)i).ToArray();
        using var writer = new BerWriter(16);
        writer.WriteOctetString(content);
        var bytes = writer.ToArray();
        Assert.Equal(header, Convert.ToHexString(bytes.AsSpan(0, header.Length / 2)));

        var reader = new BerReader(bytes);
        Assert.Equal(content, reader.ReadOctetString().ToArray());
    }

    [Fact]
    public void Non_minimal_long_form_lengths_are_accepted_as_BER_allows()
    {
        var reader = new BerReader(Convert.FromHexString("0482000268690500"));
        Assert.Equal("hi"u8.ToArray(), reader.ReadOctetString().ToArray());
        reader.ReadValue();
        Assert.False(reader.HasData);
    }

    [Fact]
    public void Constructed_elements_shift_their_content_when_it_outgrows_the_short_form()
    {
        using var writer = new BerWriter(16);
        var outer = writer.BeginConstructed(0x30);
        var inner = writer.BeginConstructed(0x30);
        writer.WriteOctetString(new byte[200]);
        writer.EndConstructed(inner);
        writer.WriteNull();
        writer.EndConstructed(outer);

        // inner: 30 81 CB (04 81 C8 + 200 bytes); outer content = 3 + 203 + 2 = 208.
        Assert.Equal("3081D03081CB0481C8", Convert.ToHexString(writer.WrittenSpan[..9]));
        Assert.Equal("0500", Convert.ToHexString(writer.WrittenSpan[^2..]));
        Assert.Equal(211, writer.Length);
    }

    [Fact]
    public void GetRequest_for_sysDescr_matches_the_hand_assembled_bytes()
    {
        var message = new SnmpMessage(
            SnmpVersion.V2c,
            "public",
            new SnmpPdu(SnmpPduType.GetRequest, 1, [new VarBind(Oid.Parse("1.3.6.1.2.1.1.1.0"), SnmpValue.Null)]));

        Assert.Equal(GetSysDescr, Convert.ToHexString(message.Encode()));

        var decoded = SnmpMessage.Decode(Convert.FromHexString(GetSysDescr));
        Assert.Equal(SnmpVersion.V2c, decoded.Version);
        Assert.Equal("public", decoded.Community);
        Assert.Equal(SnmpPduType.GetRequest, decoded.Pdu.Type);
        Assert.Equal(1, decoded.Pdu.RequestId);
        Assert.Equal(new VarBind(Oid.Parse("1.3.6.1.2.1.1.1.0"), SnmpValue.Null), Assert.Single(decoded.Pdu.VarBinds));
    }

    [Fact]
    public void GetBulk_carries_non_repeaters_and_max_repetitions_in_the_error_fields()
    {
        const string hex = "3029" + "020101" + "0406" + "7075626C6963" + "A51C" + "02020539" + "020101" + "02010A"
            + "3010" + "300E" + "060A2B06010201020202010A" + "0500";
        var message = new SnmpMessage(
            SnmpVersion.V2c,
            "public",
            SnmpPdu.GetBulk(1337, 1, 10, [new VarBind(Oid.Parse("1.3.6.1.2.1.2.2.2.1.10"), SnmpValue.Null)]));

        Assert.Equal(hex, Convert.ToHexString(message.Encode()));
        var decoded = SnmpMessage.Decode(Convert.FromHexString(hex)).Pdu;
        Assert.Equal((1, 10), (decoded.NonRepeaters, decoded.MaxRepetitions));
    }

    [Fact]
    public void Response_with_an_error_status_decodes_status_and_index()
    {
        const string hex = "302A" + "020101" + "0406" + "7075626C6963" + "A21D" + "02047FFFFFFF" + "020110" + "020101"
            + "300F" + "300D" + "0608" + "2B06010201010500" + "040161";
        var pdu = SnmpMessage.Decode(Convert.FromHexString(hex)).Pdu;
        Assert.Equal(SnmpPduType.Response, pdu.Type);
        Assert.Equal(int.MaxValue, pdu.RequestId);
        Assert.Equal(SnmpErrorStatus.AuthorizationError, pdu.ErrorStatus);
        Assert.Equal(1, pdu.ErrorIndex);
        Assert.Equal("a", pdu.VarBinds[0].Value.AsString());
    }

    [Theory]
    [InlineData("", "data ended")]
    [InlineData("30", "length is missing")]
    [InlineData("3080", "indefinite")]
    [InlineData("3085FFFFFFFFFF", "5-byte length")]
    [InlineData("3084FFFFFFFF", "exceeds")]
    [InlineData("308201", "truncated")]
    [InlineData("3003020103", "version 3")]
    [InlineData("300302010100", "unexpected byte")]
    [InlineData("1F00", "multi-byte tag")]
    [InlineData("3014020101040170A00C020101020100020100300000", "after the varbind list")]
    [InlineData("3013020101040170A40B0201010201000201003000", "not an SNMPv2 PDU")]
    public void Malformed_input_throws_a_decode_exception_naming_the_problem(string hex, string problem)
    {
        var e = Assert.Throws<SnmpDecodeException>(() => SnmpMessage.Decode(Convert.FromHexString(hex)));
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0600", "no content")]
    [InlineData("06022B86", "ends inside")]
    [InlineData("0603 2B 80 01", "redundant")]
    [InlineData("0607 2B 90 80 80 80 80 00", "32 bits")]
    [InlineData("0201", "length")]
    [InlineData("0209 010000000000000000", "64 bits")]
    [InlineData("4106 010000000000", "32 bits")]
    [InlineData("4003 7F0000", "4 bytes")]
    [InlineData("8201 00", "no content")]
    [InlineData("4700", "not an SNMPv2c value")]
    public void Malformed_values_throw_with_the_offset_of_the_problem(string hex, string problem)
    {
        var bytes = Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));
        var e = Assert.Throws<SnmpDecodeException>(() => new BerReader(bytes).ReadValue());
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
        Assert.InRange(e.Offset, 0, bytes.Length);
    }

    [Fact]
    public void A_length_claiming_gigabytes_costs_nothing_to_reject()
    {
        var packet = Convert.FromHexString("3084 7FFFFFF0 020101".Replace(" ", "", StringComparison.Ordinal));
        var before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<SnmpDecodeException>(() => SnmpMessage.Decode(packet));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 16_384);
        Assert.Equal(1, e.Offset);
    }
}
