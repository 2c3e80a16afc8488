using Pdsno.Abstractions.Intents;
using Pdsno.Grains.Intents;

namespace Pdsno.UnitTests.Intents;

/// <summary>
/// A small network for intent tests: a, b, c in region r1, d and e in r2; links a-b, b-d, a-c, c-d, d-e at 1 Gb/s
/// (800 Mb/s reservable at the default headroom). From a to d there are two 2-hop paths, through b (found first) and
/// through c.
/// </summary>
internal static class IntentNetwork
{
    public const long Gbps = 1_000_000_000;
    public const long Mbps = 1_000_000;

    public static string Key(string a, string ia, string b, string ib) => $"{a}:{ia}|{b}:{ib}";

    public static readonly string AB = Key("a", "eth0", "b", "eth0");
    public static readonly string BD = Key("b", "eth1", "d", "eth0");
    public static readonly string AC = Key("a", "eth1", "c", "eth0");
    public static readonly string CD = Key("c", "eth1", "d", "eth1");
    public static readonly string DE = Key("d", "eth2", "e", "eth0");

    public static TopologySnapshot Snapshot(long sequence = 10)
    {
        var devices = new[] { ("a", "r1", "core"), ("b", "r1", "core"), ("c", "r1", "distribution"), ("d", "r2", "core"), ("e", "r2", "access") }
            .Select((x, n) => new GraphDevice(x.Item1, x.Item2, x.Item1.ToUpperInvariant(), x.Item3, x.Item3 == "access" ? "acme" : "contoso", $"10.0.0.{n + 1}", "ACTIVE"))
            .ToList();
        var links = new[] { AB, BD, AC, CD, DE }.Select(Link).ToList();
        var interfaces = links.SelectMany(l => new[] { (l.DeviceA, l.InterfaceA), (l.DeviceB, l.InterfaceB) })
            .Select(x => new GraphInterface(x.Item1, x.Item2, Gbps, true, true))
            .ToList();
        return new TopologySnapshot(sequence, devices, interfaces, links);
    }

    public static GraphLink Link(string key)
    {
        var ends = key.Split('|').Select(e => e.Split(':')).ToArray();
        return new GraphLink(key, ends[0][0], ends[0][1], ends[1][0], ends[1][1], Gbps, true);
    }

    public static IntentEngine Engine() => new(TopologyGraph.From(Snapshot()));

    public static IntentSpec Connect(string id, string a, string b, long bps = 0, int priority = ConnectivitySpec.DefaultPriority, Protection protection = Protection.None) =>
        new(id, IntentKind.Connectivity, new ConnectivitySpec(new IntentEndpoint(a), new IntentEndpoint(b), bps, Protection: protection, Priority: priority));

    public static IntentSpec Connect(string id, ConnectivitySpec spec) => new(id, IntentKind.Connectivity, spec);

    public static IntentSpec Comply(string id, ComplianceSpec spec) => new(id, IntentKind.Compliance, Compliance: spec);
}
