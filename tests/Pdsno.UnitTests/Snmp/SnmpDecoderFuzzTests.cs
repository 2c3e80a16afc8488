using Pdsno.Discovery.Snmp;

namespace Pdsno.UnitTests.Snmp;

public class SnmpDecoderFuzzTests
{
    private const int Seed = 20_240_604;
    private const int Cases = 120_000;

    [Fact]
    public void Random_and_mutated_packets_decode_or_throw_SnmpDecodeException_and_nothing_else()
    {
        var random = new Random(Seed);
        var seeds = SeedPackets();
        var decoded = 0;
        var rejected = 0;
        for (var i = 0; i < Cases; i++)
        {
            var packet = Mutate(random, seeds[random.Next(seeds.Length)]);
            try
            {
                var message = SnmpMessage.Decode(packet);

                // Whatever decodes must re-encode to a canonical form that decodes to the same bytes again.
                var canonical = message.Encode();
                Assert.Equal(canonical, SnmpMessage.Decode(canonical).Encode());
                decoded++;
            }
            catch (SnmpDecodeException e)
            {
                Assert.InRange(e.Offset, 0, packet.Length);
                rejected++;
            }
            catch (Exception e)
            {
                Assert.Fail($"seed {Seed}, case {i}: {e.GetType().Name} for packet {Convert.ToHexString(packet)}\n{e}");
            }
        }

        // Both outcomes must be exercised, or the mutations are not testing the decoder.
        Assert.True(decoded > Cases / 100, $"only {decoded} packets decoded");
        Assert.True(rejected > Cases / 2, $"only {rejected} packets were rejected");
    }

    [Fact]
    public void Deeply_nested_sequences_are_rejected_without_recursion()
    {
        var packet = new byte[20_000];
        for (var i = 0; i < packet.Length; i += 2)
        {
            packet[i] = 0x30;
            packet[i + 1] = 0x80;
        }

        Assert.Throws<SnmpDecodeException>(() => SnmpMessage.Decode(packet));

        var nested = Nested(40);
        var e = Assert.Throws<SnmpDecodeException>(() =>
        {
            var inner = new BerReader(nested);
            for (var depth = 0; depth < 40; depth++)
            {
                inner = inner.ReadConstructed(0x30);
            }
        });
        Assert.Contains("deeper", e.Message, StringComparison.Ordinal);
    }

    private static byte[] Nested(int depth)
    {
        var content = Array.Empty<byte>();
        for (var i = 0; i < depth; i++)
        {
            content = [0x30, (byte)content.Length, .. content];
        }

        return content;
    }

    private static byte[][] SeedPackets()
    {
        var every = SnmpMessageTests.EveryType;
        var ifRows = Enumerable.Range(1, 40)
            .Select(i => new VarBind(Oid.Parse("1.3.6.1.2.1.2.2.1.2").Append((uint)i), SnmpValue.OctetString($"ge-0/0/{i}")))
            .ToArray();
        return
        [
            new SnmpMessage(SnmpVersion.V2c, "public", new SnmpPdu(SnmpPduType.GetRequest, 1, [new(Oid.Parse("1.3.6.1.2.1.1.1.0"), default)])).Encode(),
            new SnmpMessage(SnmpVersion.V2c, "public", SnmpPdu.GetBulk(77, 1, 25, [new(Oid.Parse("1.3.6.1.2.1.1.3"), default), new(Oid.Parse("1.3.6.1.2.1.2.2"), default)])).Encode(),
            new SnmpMessage(SnmpVersion.V2c, "community", new SnmpPdu(SnmpPduType.Response, int.MinValue, every, SnmpErrorStatus.NoError, 0)).Encode(),
            new SnmpMessage(SnmpVersion.V1, "c", new SnmpPdu(SnmpPduType.SnmpV2Trap, 5, every[..4])).Encode(),
            new SnmpMessage(SnmpVersion.V2c, "public", new SnmpPdu(SnmpPduType.Response, 123_456, ifRows)).Encode(),
            new SnmpMessage(SnmpVersion.V2c, "public", new SnmpPdu(SnmpPduType.Report, 9, [], SnmpErrorStatus.AuthorizationError, 1)).Encode(),
        ];
    }

    private static byte[] Mutate(Random random, byte[] seed)
    {
        var packet = seed.ToArray();
        switch (random.Next(8))
        {
            case 0:
                // A clean seed now and then keeps the success path in the mix.
                return packet;
            case 1:
                for (var n = random.Next(1, 4); n > 0; n--)
                {
                    packet[random.Next(packet.Length)] ^= (byte)(1 << random.Next(8));
                }

                return packet;
            case 2:
                for (var n = random.Next(1, 6); n > 0; n--)
                {
                    packet[random.Next(packet.Length)] = (byte)random.Next(256);
                }

                return packet;
            case 3:
                return packet[..random.Next(packet.Length)];
            case 4:
                return ExtendLength(random, packet);
            case 5:
                {
                    var extra = new byte[random.Next(1, 16)];
                    random.NextBytes(extra);
                    var at = random.Next(packet.Length + 1);
                    return [.. packet[..at], .. extra, .. packet[at..]];
                }

            case 6:
                {
                    var bytes = new byte[random.Next(0, 200)];
                    random.NextBytes(bytes);
                    if (bytes.Length > 1 && random.Next(2) == 0)
                    {
                        bytes[0] = 0x30;
                    }

                    return bytes;
                }

            default:
                {
                    // Splice the tail of one place onto another: valid elements in invalid positions.
                    var from = random.Next(packet.Length);
                    var to = random.Next(packet.Length);
                    return [.. packet[..to], .. packet[from..]];
                }
        }
    }

    private static byte[] ExtendLength(Random random, byte[] packet)
    {
        // Pick a byte that could be a length and claim far more than is there, in short or long form.
        var at = random.Next(1, packet.Length);
        byte[] claim = random.Next(4) switch
        {
            0 => [0x7F],
            1 => [0x81, 0xFF],
            2 => [0x84, 0x7F, 0xFF, 0xFF, 0xFF],
            _ => [0x84, 0xFF, 0xFF, 0xFF, 0xFF],
        };
        return [.. packet[..at], .. claim, .. packet[(at + 1)..]];
    }
}
