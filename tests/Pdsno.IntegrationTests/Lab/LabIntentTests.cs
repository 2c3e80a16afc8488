using System.Text.Json.Nodes;
using Pdsno.IntegrationTests.Infrastructure;

namespace Pdsno.IntegrationTests.Lab;

/// <summary>
/// An intent on the real lab (a ring of four namespaces): installed as static routes by the ssh driver inside the
/// devices, rerouted the other way round the ring when discovery sees a link of its path go down, and withdrawn with
/// its routes removed, each time read back from the kernels' routing tables.
/// </summary>
[Collection(LabGroup.Name)]
public sealed class LabIntentTests(PostgresFixture postgres, LabFixture lab)
{
    private const string ToB = "10.77.3.0/24";

    [Fact]
    public async Task An_intent_is_routed_in_the_devices_kernels_rerouted_when_its_link_goes_down_and_removed_when_withdrawn()
    {
        var db = await postgres.CreateDatabaseAsync();
        var q = new ReadModelQueries(db);
        await using var silo = await LabSilo.StartAsync(db, q, lab);
        var admin = silo.AdminToken;
        var policy = await LabSilo.DataAsync(silo, admin, "mutation { setChangePolicy(input: {mediumRoles: [], highRegionCount: 100, highDeviceCount: 1000, intentRoutesLow: true}) { errors { message } } }");
        Assert.Empty(policy["setChangePolicy"]!["errors"]!.AsArray());
        var (lab1, lab3) = ((await q.TextAsync("SELECT device FROM devices WHERE name = 'lab1'"))!, (await q.TextAsync("SELECT device FROM devices WHERE name = 'lab3'"))!);

        var create = "mutation { createIntent(input: {key: \"lab-ring\", kind: CONNECTIVITY, connectivity: {"
            + $"a: {{deviceId: \"{lab1}\", prefix: \"10.77.1.0/24\"}}, b: {{deviceId: \"{lab3}\", prefix: \"{ToB}\"}}"
            + "}}) { intent { state path { linkKeys } } errors { code message } } }";
        var created = (await LabSilo.DataAsync(silo, admin, create))["createIntent"]!;
        Assert.Empty(created["errors"]!.AsArray());
        Assert.Equal("INSTALLED", created["intent"]!["state"]!.GetValue<string>());

        // lab1's kernel sends lab3's prefix out of the interface towards the path's middle device, which sends it on.
        var first = (await RouteOutAsync("lab1"))!;
        Assert.NotNull(first);
        var middle = Neighbour("lab1", first);
        Assert.Contains(middle, (string[])["lab2", "lab4"]);
        Assert.NotNull(await RouteOutAsync(middle));
        var other = middle == "lab2" ? "lab4" : "lab2";
        Assert.Null(await RouteOutAsync(other));

        var middleKey = (await q.TextAsync("SELECT device FROM devices WHERE name = $1", middle))!;
        await LabFixture.LabAsync(TimeSpan.FromMinutes(1), "link-down", "lab1", middle);
        try
        {
            // Discovery sees the link go; the intent is recompiled the other way round the ring and installed there.
            await Eventually.ValueAsync(
                async () => (await LabSilo.DataAsync(silo, admin, "{ intent(id: \"lab-ring\") { state path { deviceKeys } } }"))["intent"]!,
                i => i["state"]!.GetValue<string>() == "INSTALLED" && i["path"]!["deviceKeys"]!.AsArray().Count == 3
                    && !i["path"]!["deviceKeys"]!.AsArray().Any(d => d!.GetValue<string>() == middleKey),
                TimeSpan.FromSeconds(60),
                $"lab-ring installed around lab1-{middle}");
            Assert.Equal(other, Neighbour("lab1", (await RouteOutAsync("lab1"))!));
            Assert.NotNull(await RouteOutAsync(other));
            Assert.Null(await RouteOutAsync(middle));
        }
        finally
        {
            await LabFixture.LabAsync(TimeSpan.FromMinutes(1), "link-up", "lab1", middle);
        }

        var withdrawn = (await LabSilo.DataAsync(silo, admin, "mutation { withdrawIntent(input: {id: \"lab-ring\"}) { intent { state } errors { code } } }"))["withdrawIntent"]!;
        Assert.Equal("WITHDRAWN", withdrawn["intent"]!["state"]!.GetValue<string>());
        foreach (var device in new[] { "lab1", "lab2", "lab3", "lab4" })
        {
            Assert.Null(await RouteOutAsync(device));
        }
    }

    // The interface a device's kernel sends the intent's B prefix out of, by a static route; null without one.
    private static async Task<string?> RouteOutAsync(string device)
    {
        var output = await LabFixture.LabAsync(TimeSpan.FromSeconds(30), "exec", device, "ip", "-j", "-4", "route", "show", ToB, "proto", "static");
        var routes = JsonNode.Parse(string.IsNullOrWhiteSpace(output) ? "[]" : output)!.AsArray();
        return routes.Count == 0 ? null : routes[0]!["dev"]!.GetValue<string>();
    }

    private string Neighbour(string device, string iface) =>
        lab.Description.Links.Single(l => (l.A == device && l.AIf == iface) || (l.B == device && l.BIf == iface)) is var link && link.A == device ? link.B : link.A;
}
