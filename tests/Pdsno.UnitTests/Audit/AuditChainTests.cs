using System.Security.Cryptography;
using System.Text;
using Pdsno.Abstractions.Security;
using Pdsno.Storage.Audit;

namespace Pdsno.UnitTests.Audit;

/// <summary>The audit chain's hash encoding and its verification, without a database.</summary>
public sealed class AuditChainTests
{
    private static readonly DateTimeOffset T0 = new(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public void The_hash_is_sha256_of_the_previous_hash_and_length_prefixed_fields_in_a_fixed_order()
    {
        var prev = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var at = T0.AddTicks(1234567); // 123456.7 microseconds: stored as 123456
        var expected = new List<byte>(prev);
        void Text(string s)
        {
            var bytes = Encoding.UTF8.GetBytes(s);
            expected.AddRange(BigEndian(bytes.Length, 4));
            expected.AddRange(bytes);
        }

        Text("acme");
        expected.AddRange(BigEndian(7, 8));
        expected.AddRange(BigEndian((T0.ToUnixTimeMilliseconds() * 1000) + 123456, 8));
        Text("token 1 (ops)");
        Text("setDeviceDown");
        Text("id=r1-core-1");
        Text("ok");
        Text("é");

        var hash = AuditHash.Compute(prev, "acme", 7, at, "token 1 (ops)", "setDeviceDown", "id=r1-core-1", "ok", "é");

        Assert.Equal(SHA256.HashData([.. expected]), hash);
    }

    [Fact]
    public void Every_field_and_every_field_boundary_changes_the_hash()
    {
        var genesis = AuditHash.Genesis.ToArray();
        var baseline = AuditHash.Compute(genesis, "t", 1, T0, "a", "op", "x", "ok", "d");
        var variants = new[]
        {
            AuditHash.Compute(genesis, "u", 1, T0, "a", "op", "x", "ok", "d"),
            AuditHash.Compute(genesis, "t", 2, T0, "a", "op", "x", "ok", "d"),
            AuditHash.Compute(genesis, "t", 1, T0.AddTicks(10), "a", "op", "x", "ok", "d"),
            AuditHash.Compute(genesis, "t", 1, T0, "b", "op", "x", "ok", "d"),
            AuditHash.Compute(genesis, "t", 1, T0, "a", "oq", "x", "ok", "d"),
            AuditHash.Compute(genesis, "t", 1, T0, "a", "op", "y", "ok", "d"),
            AuditHash.Compute(genesis, "t", 1, T0, "a", "op", "x", "NOT_FOUND", "d"),
            AuditHash.Compute(genesis, "t", 1, T0, "a", "op", "x", "ok", "e"),
            AuditHash.Compute(new byte[32].Select(_ => (byte)1).ToArray(), "t", 1, T0, "a", "op", "x", "ok", "d"),
            // The same characters with the boundary moved: unambiguous only because of the length prefixes.
            AuditHash.Compute(genesis, "t", 1, T0, "ao", "p", "x", "ok", "d"),
        };

        Assert.All(variants, v => Assert.NotEqual(baseline, v));
        Assert.Equal(variants.Length, variants.Select(Convert.ToHexString).Distinct().Count());
        // Below a microsecond is below what PostgreSQL stores: the same record.
        Assert.Equal(baseline, AuditHash.Compute(genesis, "t", 1, T0.AddTicks(9), "a", "op", "x", "ok", "d"));
        Assert.Throws<ArgumentException>(() => AuditHash.Compute(new byte[31], "t", 1, T0, "a", "op", "x", "ok", "d"));
    }

    [Fact]
    public void An_intact_chain_of_several_tenants_verifies()
    {
        var verifier = new AuditChainVerifier();
        foreach (var record in Chain("acme", 5).Concat(Chain("beta", 3)))
        {
            Assert.Null(verifier.Add(record));
        }

        Assert.Equal(new AuditVerification(8, null), verifier.Result);
        Assert.True(verifier.Result.Ok);
    }

    [Fact]
    public void A_changed_field_is_a_hash_mismatch_at_that_record_and_only_there()
    {
        var chain = Chain("acme", 5);
        chain[2] = chain[2] with { Outcome = "ok", Target = "id=other" };

        var result = Verify(chain);

        Assert.Equal(5, result.Checked);
        Assert.Equal(new AuditBreak("acme", 3, "hash mismatch: the record's fields are not those it was written with"), result.FirstBroken);
    }

    [Fact]
    public void A_record_rewritten_with_a_fresh_hash_breaks_the_link_to_the_next_one()
    {
        var chain = Chain("acme", 4);
        var forged = chain[1] with { Detail = "nothing happened" };
        chain[1] = forged with { Hash = AuditHash.Of(forged) };

        var result = Verify(chain);

        Assert.Equal(new AuditBreak("acme", 3, "prev_hash mismatch: it does not name the hash of record 2"), result.FirstBroken);
    }

    [Fact]
    public void A_deleted_record_is_a_gap_named_at_the_record_after_it()
    {
        var chain = Chain("acme", 6);
        chain.RemoveAt(3);
        Assert.Equal(new AuditBreak("acme", 5, "gap in seq: record 4 is missing"), Verify(chain).FirstBroken);

        chain = Chain("acme", 6);
        chain.RemoveRange(1, 3);
        Assert.Equal(new AuditBreak("acme", 5, "gap in seq: records 2 to 4 are missing"), Verify(chain).FirstBroken);

        // A tenant whose first records are gone.
        Assert.Equal(new AuditBreak("beta", 2, "gap in seq: record 1 is missing"), Verify([.. Chain("acme", 2), .. Chain("beta", 3).Skip(1)]).FirstBroken);
    }

    [Fact]
    public void A_first_record_that_does_not_chain_from_genesis_is_named()
    {
        var chain = Chain("acme", 2);
        var first = chain[0] with { PrevHash = Enumerable.Repeat((byte)7, 32).ToArray() };
        chain[0] = first with { Hash = AuditHash.Of(first) };

        Assert.Equal(new AuditBreak("acme", 1, "prev_hash mismatch: the first record does not chain from the genesis hash"), Verify(chain).FirstBroken);
    }

    [Fact]
    public void Records_are_cleaned_to_what_the_database_stores_before_they_are_hashed()
    {
        var tooLong = new string('x', 5000);
        var pair = "\U0001F600"; // two UTF-16 units
        var cleaned = AuditChainWriter.Clean(new AuditRecordDraft("t", "a\0b", "op\uD800", tooLong, "ok", new string('y', 3998) + pair + "z"));

        Assert.Equal("a\uFFFDb", cleaned.Actor);
        Assert.Equal("op\uFFFD", cleaned.Operation);
        Assert.Equal(2000, cleaned.Target.Length);
        Assert.EndsWith("…", cleaned.Target, StringComparison.Ordinal);
        // The cut does not split the surrogate pair that straddles it.
        Assert.Equal(new string('y', 3998) + "…", cleaned.Detail);
        Assert.Same("plain", AuditChainWriter.Clean(new AuditRecordDraft("t", "plain", "op", "", "ok")).Actor);
    }

    private static AuditVerification Verify(IEnumerable<AuditRecord> records)
    {
        var verifier = new AuditChainVerifier();
        foreach (var record in records)
        {
            verifier.Add(record);
        }

        return verifier.Result;
    }

    private static List<AuditRecord> Chain(string tenant, int count)
    {
        var records = new List<AuditRecord>();
        var prev = AuditHash.Genesis.ToArray();
        for (var seq = 1; seq <= count; seq++)
        {
            var draft = new AuditRecord(tenant, seq, T0.AddSeconds(seq), "token 1 (ops)", "setDeviceDown", $"id=d{seq}", seq % 2 == 0 ? "NOT_FOUND" : "ok", "", prev, []);
            var record = draft with { Hash = AuditHash.Of(draft) };
            records.Add(record);
            prev = record.Hash;
        }

        return records;
    }

    private static byte[] BigEndian(long value, int size)
    {
        var bytes = new byte[size];
        for (var i = size - 1; i >= 0; i--)
        {
            bytes[i] = (byte)(value & 0xFF);
            value >>= 8;
        }

        return bytes;
    }
}
