namespace Pdsno.Discovery.Snmp;

/// <summary>A community-based SNMP message (v2c, or v1 for the PDUs the two share) and its BER encoding.</summary>
public sealed class SnmpMessage
{
    /// <summary>
    /// More varbinds than fit a 64 KiB datagram at their smallest (7 bytes each) cannot be honest;
    /// capping them bounds what a decode may allocate.
    /// </summary>
    public const int MaxVarBinds = 10_000;

    public SnmpMessage(SnmpVersion version, string community, SnmpPdu pdu)
    {
        ArgumentNullException.ThrowIfNull(community);
        ArgumentNullException.ThrowIfNull(pdu);
        Version = version;
        Community = community;
        Pdu = pdu;
    }

    public SnmpVersion Version { get; }

    /// <summary>The community string; it is a secret, so nothing here prints it.</summary>
    public string Community { get; }

    public SnmpPdu Pdu { get; }

    public void Encode(BerWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var message = writer.BeginConstructed(0x30);
        writer.WriteInteger((int)Version);
        writer.WriteOctetString(Community);
        var pdu = writer.BeginConstructed((byte)Pdu.Type);
        writer.WriteInteger(Pdu.RequestId);
        writer.WriteInteger(Pdu.ErrorStatusField);
        writer.WriteInteger(Pdu.ErrorIndexField);
        var list = writer.BeginConstructed(0x30);
        foreach (var varBind in Pdu.VarBinds)
        {
            var bind = writer.BeginConstructed(0x30);
            writer.WriteOid(varBind.Oid);
            writer.WriteValue(varBind.Value);
            writer.EndConstructed(bind);
        }

        writer.EndConstructed(list);
        writer.EndConstructed(pdu);
        writer.EndConstructed(message);
    }

    public byte[] Encode()
    {
        using var writer = new BerWriter();
        Encode(writer);
        return writer.ToArray();
    }

    /// <summary>Decodes one datagram; anything malformed throws <see cref="SnmpDecodeException"/> and nothing else.</summary>
    public static SnmpMessage Decode(ReadOnlySpan<byte> datagram)
    {
        var outer = new BerReader(datagram);
        var message = outer.ReadConstructed(0x30);
        outer.ExpectEnd("the message");

        var versionOffset = message.Offset;
        var version = message.ReadInteger();
        if (version is not (0 or 1))
        {
            throw new SnmpDecodeException($"version {version} is not v1 or v2c", versionOffset);
        }

        var communityOffset = message.Offset;
        var community = DecodeCommunity(message.ReadOctetString(), communityOffset);

        var pduOffset = message.Offset;
        var pdu = message.ReadConstructed(out var tag);
        var type = (SnmpPduType)tag;
        if (!Enum.IsDefined(type))
        {
            throw new SnmpDecodeException($"tag 0x{tag:X2} is not an SNMPv2 PDU", pduOffset);
        }

        message.ExpectEnd("the PDU");

        var requestId = pdu.ReadInt32();
        var second = pdu.ReadInt32();
        var third = pdu.ReadInt32();
        var list = pdu.ReadConstructed(0x30);
        pdu.ExpectEnd("the varbind list");

        var count = list.CountElements(MaxVarBinds);
        var varBinds = new VarBind[count];
        for (var i = 0; i < count; i++)
        {
            var bind = list.ReadConstructed(0x30);
            var oid = bind.ReadOid();
            var value = bind.ReadValue();
            bind.ExpectEnd("a varbind");
            varBinds[i] = new VarBind(oid, value);
        }

        return new SnmpMessage((SnmpVersion)version, community, SnmpPdu.FromWire(type, requestId, second, third, varBinds));
    }

    public override string ToString() => $"{Version} {Pdu}";

    private static string DecodeCommunity(ReadOnlySpan<byte> bytes, int offset)
    {
        // Communities are short ASCII in practice; a long one is a sign of garbage, not a real secret.
        if (bytes.Length > 255)
        {
            throw new SnmpDecodeException($"community of {bytes.Length} bytes is implausibly long", offset);
        }

        return System.Text.Encoding.UTF8.GetString(bytes);
    }
}
