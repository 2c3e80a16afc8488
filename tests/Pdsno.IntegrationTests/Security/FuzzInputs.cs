using System.Text;
using System.Text.Json.Nodes;

namespace Pdsno.IntegrationTests.Security;

/// <summary>Hostile inputs for the GraphQL endpoint, all drawn from one seeded <see cref="Random"/> so a failing case can be replayed.</summary>
internal sealed class FuzzInputs(Random random)
{
    /// <summary>Valid documents the malformed ones are cut from (no string literal holds a brace, none ends in whitespace).</summary>
    public static readonly string[] Documents =
    [
        "{ regions(first: 5) { totalCount } }",
        "{ regions { edges { node { id name deviceCount } } } }",
        "{ devices(first: 5, filter: {status: ACTIVE}) { totalCount pageInfo { hasNextPage endCursor } edges { node { id name vendor status interfaces { name operStatus speedBps } neighbors { device { name } } } } } }",
        "query($id: ID!) { device(id: $id) { name status } }",
        "query One($r: ID!) { topology(regionId: $r) { nodes { id label } edges { id source target } } }",
        "{ links(first: 3) { edges { node { id status } } } globalPolicy { version discoveryIntervalSeconds } }",
        "{ viewer { tenant } node(id: \"RGV2aWNlOng=\") { id } }",
        "query Q { events(first: 2) { edges { node { sequence type } } } } query R { apiTokens { id name } }",
        "fragment D on Device { id name } query { devices(first: 2) { edges { node { ...D } } } }",
        "subscription { topologyChanged { sequence type } }",
    ];

    /// <summary>Byte sequences that are not UTF-8: stray continuation bytes, overlong forms, surrogates, too-large code points, cut sequences.</summary>
    private static readonly byte[][] InvalidUtf8 =
    [
        [0xFF], [0xFE], [0x80], [0xBF], [0xC0, 0x80], [0xC1, 0xBF], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF],
        [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xC3], [0xE2, 0x82], [0xF0, 0x9F, 0x98],
    ];

    public Random Random => random;

    /// <summary>One of <see cref="Documents"/>; the subscription (the last) only when <paramref name="subscriptions"/>.</summary>
    public string Document(bool subscriptions = true) => Documents[random.Next(Documents.Length - (subscriptions ? 0 : 1))];

    public byte[] Bytes(int maxLength)
    {
        var bytes = new byte[random.Next(maxLength + 1)];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>A document cut strictly before its last closing brace, so it can never parse.</summary>
    public string Truncated()
    {
        var document = Document();
        return document[..random.Next(document.LastIndexOf('}'))];
    }

    /// <summary>A document with a few random edits: braces, brackets, parentheses, quotes or any character inserted, deleted or swapped.</summary>
    public string Garbled(bool subscriptions = true)
    {
        var text = new StringBuilder(Document(subscriptions));
        const string Noise = "{}{}[]()\"\\$:!@#.,=\u0000\u00e9\u2028\ud83d\ude00";
        for (var edits = 1 + random.Next(4); edits > 0 && text.Length > 0; edits--)
        {
            var at = random.Next(text.Length);
            switch (random.Next(3))
            {
                case 0:
                    text.Insert(at, Noise[random.Next(Noise.Length)]);
                    break;
                case 1:
                    text.Remove(at, 1);
                    break;
                default:
                    text[at] = (char)random.Next(0x20, 0x7F);
                    break;
            }
        }

        return text.ToString();
    }

    /// <summary>A JSON request body with invalid UTF-8 inside the query string or between tokens.</summary>
    public byte[] InvalidUtf8Body()
    {
        var json = Encoding.UTF8.GetBytes(new JsonObject { ["query"] = Document(), ["variables"] = new JsonObject() }.ToJsonString());
        var at = random.Next(2) == 0 ? 10 + random.Next(json.Length - 30) : random.Next(json.Length);
        var bad = InvalidUtf8[random.Next(InvalidUtf8.Length)];
        return [.. json[..at], .. bad, .. json[at..]];
    }

    /// <summary>A graphql-transport-ws message with invalid UTF-8 in it.</summary>
    public byte[] InvalidUtf8Message(string type)
    {
        var json = Encoding.UTF8.GetBytes($"{{\"type\":\"{type}\",\"payload\":{{\"Authorization\":\"Bearer x\"}}}}");
        var at = 1 + random.Next(json.Length - 2);
        return [.. json[..at], .. InvalidUtf8[random.Next(InvalidUtf8.Length)], .. json[at..]];
    }

    /// <summary>Printable ASCII of a random length.</summary>
    public string Printable(int maxLength)
    {
        var chars = new char[1 + random.Next(maxLength)];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = (char)random.Next(0x20, 0x7F);
        }

        return new string(chars).Trim() is { Length: > 0 } trimmed ? trimmed : "x";
    }

    /// <summary>A token one step from <paramref name="token"/>: a character changed, dropped or added, the case or prefix changed.</summary>
    public string AlmostToken(string token)
    {
        var at = random.Next(token.Length);
        return random.Next(7) switch
        {
            0 => token[..at] + (token[at] == 'a' ? 'b' : 'a') + token[(at + 1)..],
            1 => token.Remove(at, 1),
            2 => token.Insert(at, "0"),
            3 => token.ToUpperInvariant(),
            4 => "pdsnO_" + token[6..],
            5 => token[..^1] + (token[^1] == 'g' ? 'h' : 'g'),
            _ => token + token[^random.Next(1, 10)..],
        };
    }

    /// <summary>An Authorization header value that must not authenticate.</summary>
    public string GarbageAuthorization(string adminToken) => random.Next(8) switch
    {
        0 => "Bearer " + Printable(200),
        1 => Printable(300),
        2 => "Bearer " + AlmostToken(adminToken),
        3 => AlmostToken(adminToken),
        4 => "Basic " + Convert.ToBase64String(Bytes(200)),
        5 => "Basic " + Printable(100),
        6 => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(Printable(20) + ":" + AlmostToken(adminToken))),
        _ => (random.Next(2) == 0 ? "Bearer" : "bearer   ") + new string(' ', random.Next(5)) + (random.Next(2) == 0 ? "" : "pdsno_"),
    };

    /// <summary>Any JSON value, nested at most <paramref name="depth"/> deep.</summary>
    public JsonNode? Json(int depth)
    {
        var kind = random.Next(depth <= 0 ? 5 : 7);
        return kind switch
        {
            0 => null,
            1 => JsonValue.Create(random.Next(2) == 0),
            2 => JsonValue.Create(random.NextDouble() * Math.Pow(10, random.Next(-5, 300)) * (random.Next(2) == 0 ? 1 : -1)),
            3 => JsonValue.Create(Printable(40)),
            4 => JsonValue.Create(random.Next()),
            5 => new JsonArray(Enumerable.Range(0, random.Next(5)).Select(_ => Json(depth - 1)).ToArray()),
            _ => JsonObjectOf(depth),
        };
    }

    private JsonObject JsonObjectOf(int depth)
    {
        var keys = new[] { "Authorization", "authorization", "token", "payload", "type", "query", "variables", "id", "", "\u0000", Printable(10) };
        var obj = new JsonObject();
        for (var n = random.Next(5); n > 0; n--)
        {
            obj[keys[random.Next(keys.Length)]] = Json(depth - 1);
        }

        return obj;
    }

    /// <summary>A connection_init payload that must not authenticate.</summary>
    public string GarbageInitPayload(string adminToken) => random.Next(10) switch
    {
        0 => Json(4)?.ToJsonString() ?? "null",
        1 => new JsonObject { ["Authorization"] = GarbageAuthorization(adminToken) }.ToJsonString(),
        2 => new JsonObject { ["token"] = AlmostToken(adminToken) }.ToJsonString(),
        3 => new JsonObject { ["Authorization"] = random.Next(2) == 0 ? JsonValue.Create(random.Next()) : new JsonArray(JsonValue.Create("Bearer " + adminToken)) }.ToJsonString(),
        4 => new JsonObject { ["Authorization"] = "Bearer " + new string('a', 100_000) }.ToJsonString(),
        5 => Nested("{\"a\":", "}", 70 + random.Next(1000), "1"),
        6 => Nested("[", "]", 70 + random.Next(1000), "1"),
        7 => new JsonArray(JsonValue.Create("Bearer " + adminToken)).ToJsonString(),
        8 => JsonValue.Create("Bearer " + adminToken)!.ToJsonString(),
        _ => "{}",
    };

    /// <summary><paramref name="open"/> repeated <paramref name="depth"/> times around <paramref name="inner"/>.</summary>
    public static string Nested(string open, string close, int depth, string inner)
    {
        var text = new StringBuilder(((open.Length + close.Length) * depth) + inner.Length);
        text.Insert(0, open, depth).Append(inner);
        for (var i = 0; i < depth; i++)
        {
            text.Append(close);
        }

        return text.ToString();
    }
}
