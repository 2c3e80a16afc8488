using System.Net;
using System.Text.Json.Nodes;
using Pdsno.IntegrationTests.Api;
using Pdsno.IntegrationTests.Infrastructure;

namespace Pdsno.IntegrationTests.Security;

/// <summary>Tenants never see each other; tokens are revoked and expire at once; the audit trail records who did what, without secrets.</summary>
[Collection(PostgresGroup.Name)]
public sealed class TenancyTests(PostgresFixture postgres, SecuredSilo host) : IClassFixture<SecuredSilo>
{
    [Fact]
    public async Task Tenant_B_never_sees_tenant_A_in_lists_by_id_in_node_or_in_subscriptions_with_replay()
    {
        await host.StartAsync(postgres);
        var adminA = host.Token("admin");
        var created = await host.DataAsync(adminA, "mutation { createTenant(input: {id: \"tenant-b\", name: \"Tenant B\"}) { secret token { id roles } errors { code message } } }");
        var adminB = created["createTenant"]!["secret"]!.GetValue<string>();
        Assert.Equal(["admin"], created["createTenant"]!["token"]!["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
        var again = await host.DataAsync(adminA, "mutation { createTenant(input: {id: \"tenant-b\"}) { secret errors { code } } }");
        Assert.Equal("CONFLICT", again["createTenant"]!["errors"]![0]!["code"]!.GetValue<string>());

        // Only the provider tenant's admins create tenants.
        var (_, refused) = await host.PostAsync(adminB, "mutation { createTenant(input: {id: \"tenant-c\"}) { secret errors { code } } }");
        Assert.Equal(["FORBIDDEN"], SecuredSilo.Codes(refused));

        var region = await host.DataAsync(adminB, "mutation { createRegion(input: {id: \"b-only\"}) { region { key } errors { code } } }");
        Assert.Equal("b-only", region["createRegion"]!["region"]!["key"]!.GetValue<string>());

        var a = await host.DataAsync(adminA, "{ devices(first: 5) { totalCount nodes { id } } links(first: 1) { nodes { id } } regions(first: 10) { nodes { id key } } events(first: 1) { totalCount } }");
        var deviceOfA = a["devices"]!["nodes"]![0]!["id"]!.GetValue<string>();
        var linkOfA = a["links"]!["nodes"]![0]!["id"]!.GetValue<string>();
        var regionOfA = a["regions"]!["nodes"]![0]!["id"]!.GetValue<string>();
        Assert.DoesNotContain(a["regions"]!["nodes"]!.AsArray(), r => r!["key"]!.GetValue<string>() == "b-only");

        var b = await host.DataAsync(adminB, "{ devices(first: 5) { totalCount } links(first: 5) { totalCount } regions(first: 10) { nodes { key } } viewer { tenant } }");
        Assert.Equal(0, b["devices"]!["totalCount"]!.GetValue<int>());
        Assert.Equal(0, b["links"]!["totalCount"]!.GetValue<int>());
        Assert.Equal(["b-only"], b["regions"]!["nodes"]!.AsArray().Select(r => r!["key"]!.GetValue<string>()));
        Assert.Equal("tenant-b", b["viewer"]!["tenant"]!.GetValue<string>());

        foreach (var (query, id) in new[]
        {
            ("query($id: ID!) { device(id: $id) { id } }", deviceOfA),
            ("query($id: ID!) { link(id: $id) { id } }", linkOfA),
            ("query($id: ID!) { region(id: $id) { id } }", regionOfA),
            ("query($id: ID!) { node(id: $id) { id } }", deviceOfA),
            ("query($id: ID!) { topology(regionId: $id) { nodes { id } } }", regionOfA),
        })
        {
            var (_, body) = await host.PostAsync(adminB, query, new JsonObject { ["id"] = id });
            Assert.Equal(["NOT_FOUND"], SecuredSilo.Codes(body));
        }

        var (_, nodes) = await host.PostAsync(adminB, "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", new JsonObject { ["ids"] = new JsonArray(deviceOfA, linkOfA) });
        Assert.Equal(["NOT_FOUND", "NOT_FOUND"], SecuredSilo.Codes(nodes));

        // Acting on A's objects from B finds nothing either.
        var down = await host.DataAsync(adminB, "mutation($id: ID!) { setDeviceDown(input: {id: $id, down: true}) { errors { code } } }", new JsonObject { ["id"] = deviceOfA });
        Assert.Equal("NOT_FOUND", down["setDeviceDown"]!["errors"]![0]!["code"]!.GetValue<string>());

        // Replay from the start of the log, then live: B gets B's own events only.
        await using var socket = await GraphQLSocket.ConnectAsync(host.Silo.HttpPort, adminB);
        await socket.SubscribeAsync("b", "subscription { topologyChanged(since: 0) { sequence type region device } }");
        var received = await socket.CollectAsync("b", items => items.Count >= 1, TimeSpan.FromSeconds(10));
        await host.DataAsync(adminA, "mutation { triggerDiscovery(input: {id: \"region-1\"}) { errors { code } } }");
        received.AddRange(await socket.CollectAsync("b", _ => false, TimeSpan.FromSeconds(3)));
        Assert.NotEmpty(received);
        Assert.All(received, e => Assert.True(e["topologyChanged"]!["device"] is null && e["topologyChanged"]!["region"]?.GetValue<string>() is null or "b-only", e.ToJsonString()));
    }

    [Fact]
    public async Task Subscribers_of_one_document_under_different_region_scopes_each_get_their_own_regions_events()
    {
        await host.StartAsync(postgres);
        var admin = host.Token("admin");
        var regionOne = await host.CreateTokenAsync(admin, "live-r1", ["viewer"], ["region-1"]);
        var regionTwo = await host.CreateTokenAsync(admin, "live-r2", ["viewer"], ["region-2"]);
        const string Document = "subscription { topologyChanged { sequence type region device newValue } }";

        // Two live subscribers of region-1 (one group: one stream, one execution per event) and one of region-2.
        await using var one = await GraphQLSocket.ConnectAsync(host.Silo.HttpPort, regionOne);
        await using var oneAgain = await GraphQLSocket.ConnectAsync(host.Silo.HttpPort, regionOne);
        await using var two = await GraphQLSocket.ConnectAsync(host.Silo.HttpPort, regionTwo);
        await one.SubscribeAsync("live", Document);
        await oneAgain.SubscribeAsync("live", Document);
        await two.SubscribeAsync("live", Document);

        // A device of each region goes down (discovery reports it some cycles later, when all three are live).
        var deviceOne = (await host.DataAsync(regionOne, "{ devices(first: 1) { nodes { id } } }"))["devices"]!["nodes"]![0]!["id"]!.GetValue<string>();
        var deviceTwo = (await host.DataAsync(regionTwo, "{ devices(first: 1) { nodes { id } } }"))["devices"]!["nodes"]![0]!["id"]!.GetValue<string>();
        const string SetDown = "mutation($id: ID!, $down: Boolean!) { setDeviceDown(input: {id: $id, down: $down}) { errors { code } } }";
        foreach (var id in new[] { deviceOne, deviceTwo })
        {
            await host.DataAsync(admin, SetDown, new JsonObject { ["id"] = id, ["down"] = true });
        }

        static bool Down(List<JsonNode> items) => items.Any(i => i["topologyChanged"]!["newValue"]?.GetValue<string>() == "INACTIVE");
        var first = await one.CollectAsync("live", Down, TimeSpan.FromSeconds(60));
        var second = await oneAgain.CollectAsync("live", Down, TimeSpan.FromSeconds(60));
        var other = await two.CollectAsync("live", Down, TimeSpan.FromSeconds(60));
        foreach (var id in new[] { deviceOne, deviceTwo })
        {
            await host.DataAsync(admin, SetDown, new JsonObject { ["id"] = id, ["down"] = false });
        }

        static string[] Regions(List<JsonNode> items) => [.. items.Select(i => i["topologyChanged"]!["region"]?.GetValue<string>() ?? "(none)").Distinct()];
        static long[] Sequences(List<JsonNode> items) => [.. items.Select(i => i["topologyChanged"]!["sequence"]!.GetValue<long>())];
        Assert.True(Down(first) && Down(other), "each region saw its own device go down");
        Assert.Equal(["region-1"], Regions(first));
        Assert.Equal(["region-2"], Regions(other));
        Assert.Empty(Sequences(first).Intersect(Sequences(other)));
        Assert.Equal(first.Select(i => i.ToJsonString()), second.Select(i => i.ToJsonString()));
    }

    [Fact]
    public async Task The_tenant_the_start_up_reads_as_is_reserved_so_no_one_can_create_it_or_hold_a_token_in_it()
    {
        await host.StartAsync(postgres);
        var created = await host.DataAsync(host.Token("admin"), "mutation { createTenant(input: {id: \"pdsno-warm-up\"}) { secret errors { code message } } }");
        Assert.Null(created["createTenant"]!["secret"]);
        Assert.Contains("reserved", created["createTenant"]!["errors"]![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_revoked_token_fails_at_once_and_an_expired_one_when_it_expires()
    {
        await host.StartAsync(postgres);
        var admin = host.Token("admin");
        var token = await host.CreateTokenAsync(admin, "short-lived", ["viewer"]);
        var id = (await host.DataAsync(token, "{ viewer { tokenId } }"))["viewer"]!["tokenId"]!.GetValue<string>();

        var revoked = await host.DataAsync(admin, "mutation($id: ID!) { revokeApiToken(input: {id: $id}) { token { id revokedAt active } errors { code } } }", new JsonObject { ["id"] = id });
        Assert.False(revoked["revokeApiToken"]!["token"]!["active"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.PostAsync(token, "{ viewer { tokenId } }")).Status);

        var expiring = await host.CreateTokenAsync(admin, "expiring", ["viewer"], expiresAt: DateTimeOffset.UtcNow.AddSeconds(3));
        Assert.Equal(HttpStatusCode.OK, (await host.PostAsync(expiring, "{ viewer { tokenId } }")).Status);
        await Eventually.ValueAsync(async () => (long)(await host.PostAsync(expiring, "{ viewer { tokenId } }")).Status, s => s == 401, TimeSpan.FromSeconds(15), "the token expires");

        var tokens = await host.DataAsync(admin, "{ apiTokens { id name active lastUsedAt revokedAt } }");
        var listed = tokens["apiTokens"]!.AsArray().Single(t => t!["id"]!.GetValue<string>() == id)!;
        Assert.False(listed["active"]!.GetValue<bool>());
        Assert.NotNull(listed["lastUsedAt"]);
        Assert.NotNull(listed["revokedAt"]);
    }

    [Fact]
    public async Task Failures_denials_creations_and_revocations_are_audited_with_the_actor_and_no_secret()
    {
        await host.StartAsync(postgres);
        var admin = host.Token("admin");
        var viewer = host.Token("viewer");
        var token = await host.CreateTokenAsync(admin, "audited", ["viewer"]);
        var id = (await host.DataAsync(token, "{ viewer { tokenId } }"))["viewer"]!["tokenId"]!.GetValue<string>();
        await host.DataAsync(admin, "mutation($id: ID!) { revokeApiToken(input: {id: $id}) { errors { code } } }", new JsonObject { ["id"] = id });
        await host.PostAsync(token, "{ viewer { tokenId } }");
        await host.PostAsync(viewer, "mutation { setGlobalPolicy(input: {discoveryIntervalSeconds: 5, missedCyclesUntilInactive: 3}) { errors { code } } }");

        const string Audit = "{ events(first: 500, types: [TOKEN_CREATED, TOKEN_REVOKED, AUTHENTICATION_FAILED, PERMISSION_DENIED]) { nodes { type actor newValue } } }";
        JsonArray events = [];
        await Eventually.ValueAsync(
            async () =>
            {
                events = (await host.DataAsync(admin, Audit))["events"]!["nodes"]!.AsArray();
                return events.Select(e => e!["type"]!.GetValue<string>()).Distinct().Count();
            },
            n => n == 4,
            TimeSpan.FromSeconds(15),
            "all four audit event types");

        Assert.Contains(events, e => e!["type"]!.GetValue<string>() == "TOKEN_CREATED" && e["newValue"]!.GetValue<string>().Contains(id, StringComparison.Ordinal));
        Assert.Contains(events, e => e!["type"]!.GetValue<string>() == "TOKEN_REVOKED" && e["actor"]!.GetValue<string>().Contains("first-admin", StringComparison.Ordinal));
        Assert.Contains(events, e => e!["type"]!.GetValue<string>() == "AUTHENTICATION_FAILED" && e["newValue"]!.GetValue<string>().Contains("revoked", StringComparison.Ordinal));
        Assert.Contains(events, e => e!["type"]!.GetValue<string>() == "PERMISSION_DENIED" && e["actor"]!.GetValue<string>().Contains("viewer", StringComparison.Ordinal));
        var secrets = new[] { token, admin, viewer }.Select(t => t[(t.LastIndexOf('_') + 1)..]).ToList();
        Assert.DoesNotContain(events, e => secrets.Any(s => e!.ToJsonString().Contains(s, StringComparison.Ordinal)));

        // The audit trail is for tenant admins.
        Assert.Empty((await host.DataAsync(viewer, Audit))["events"]!["nodes"]!.AsArray());
    }
}
