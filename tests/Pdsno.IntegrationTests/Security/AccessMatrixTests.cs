using System.Net;
using System.Text.Json.Nodes;
using Pdsno.IntegrationTests.Api;
using Pdsno.IntegrationTests.Infrastructure;

namespace Pdsno.IntegrationTests.Security;

/// <summary>
/// Every query, mutation and subscription against every role, on the real host. Allowed operations are chosen so
/// they change nothing (an unknown id, an invalid value): what is checked is whether authorization let them run.
/// </summary>
[Collection(PostgresGroup.Name)]
public sealed class AccessMatrixTests(PostgresFixture postgres, SecuredSilo host) : IClassFixture<SecuredSilo>
{
    private static readonly string[] Everyone = ["viewer", "operator", "region-approver", "global-approver", "admin", "operator@r1"];
    private static readonly string[] Operators = ["operator", "admin", "operator@r1"];
    private static readonly string[] Admins = ["admin"];
    private static readonly string[] TenantWide = ["viewer", "operator", "region-approver", "global-approver", "admin"];
    private static readonly string[] TenantWideOperators = ["operator", "admin"];
    private static readonly string[] Approvers = ["region-approver", "global-approver"];
    private static readonly string[] GlobalApprovers = ["global-approver"];

    // Field -> (document, who may run it).
    private static readonly Dictionary<string, (string Document, string[] Allowed)> Queries = new()
    {
        ["regions"] = ("{ regions(first: 1) { totalCount } }", Everyone),
        ["region"] = ("{ region(id: \"region-1\") { key } }", Everyone),
        ["devices"] = ("{ devices(first: 1) { totalCount } }", Everyone),
        ["device"] = ("{ device(id: \"nope\") { id } }", Everyone),
        ["links"] = ("{ links(first: 1) { totalCount } }", Everyone),
        ["link"] = ("{ link(id: \"nope\") { id } }", Everyone),
        ["topology"] = ("{ topology(regionId: \"region-1\") { nodes { id } } }", Everyone),
        ["path"] = ("{ path(from: \"a\", to: \"b\") { hopCount } }", Everyone),
        ["events"] = ("{ events(first: 1) { totalCount } }", Everyone),
        ["globalPolicy"] = ("{ globalPolicy { version } }", Everyone),
        ["node"] = ("{ node(id: \"UmVnaW9uOnJlZ2lvbi0x\") { id } }", Everyone),
        ["nodes"] = ("{ nodes(ids: []) { id } }", Everyone),
        ["viewer"] = ("{ viewer { tenant roles } }", Everyone),
        ["changes"] = ("{ changes(first: 1) { totalCount } }", Everyone),
        ["change"] = ("{ change(id: \"nope\") { id } }", Everyone),
        ["intents"] = ("{ intents(first: 1) { totalCount } }", Everyone),
        ["intent"] = ("{ intent(id: \"nope\") { id } }", Everyone),
        ["apiTokens"] = ("{ apiTokens { id } }", Admins),
        ["auditLog"] = ("{ auditLog(first: 1) { totalCount } }", Admins),
        ["verifyAuditChain"] = ("{ verifyAuditChain { ok } }", Admins),
        ["previewIntent"] = ("{ previewIntent(input: {kind: CONNECTIVITY, connectivity: {a: {deviceId: \"nope\"}, b: {deviceId: \"nope-2\"}}}) { feasible } }", TenantWideOperators),
        ["previewFailure"] = ("{ previewFailure(linkIds: [\"nope\"]) { failed { intentKey } } }", TenantWide),
        ["webhooks"] = ("{ webhooks { id } }", Admins),
        ["webhookDeliveries"] = ("{ webhookDeliveries(webhookId: \"nope\", first: 1) { totalCount } }", Admins),
        ["anomalies"] = ("{ anomalies(first: 1, filter: {regionId: \"region-1\"}) { totalCount } }", Everyone),
    };

    private static readonly Dictionary<string, (string Document, string[] Allowed)> Mutations = new()
    {
        ["createRegion"] = ("mutation { createRegion(input: {id: \"bad/id\"}) { errors { code } } }", Admins),
        ["renameRegion"] = ("mutation { renameRegion(input: {id: \"nope\", name: \"x\"}) { errors { code } } }", Admins),
        ["deleteRegion"] = ("mutation { deleteRegion(input: {id: \"nope\"}) { errors { code } } }", Admins),
        ["importTopology"] = ("mutation { importTopology(input: {regionId: \"region-1\", zooFile: \"NoSuchNetwork\"}) { errors { code } } }", Operators),
        ["triggerDiscovery"] = ("mutation { triggerDiscovery(input: {id: \"nope\"}) { errors { code } } }", Operators),
        ["setGlobalPolicy"] = ("mutation { setGlobalPolicy(input: {discoveryIntervalSeconds: 0, missedCyclesUntilInactive: 3}) { errors { code } } }", Admins),
        ["setDeviceDown"] = ("mutation { setDeviceDown(input: {id: \"nope\", down: true}) { errors { code } } }", Operators),
        ["setLinkDown"] = ("mutation { setLinkDown(input: {id: \"nope\", down: true}) { errors { code } } }", Operators),
        ["jumpCounters"] = ("mutation { jumpCounters(input: {id: \"nope\", octets: 1}) { errors { code } } }", Operators),
        ["setConfigFault"] = ("mutation { setConfigFault(input: {deviceId: \"nope\", applyFails: true}) { errors { code } } }", Operators),
        ["setRunningConfig"] = ("mutation { setRunningConfig(input: {deviceId: \"nope\", location: \"x\"}) { errors { code } } }", Operators),
        ["createApiToken"] = ("mutation { createApiToken(input: {name: \"\", roles: []}) { errors { code } } }", Admins),
        ["revokeApiToken"] = ("mutation { revokeApiToken(input: {id: \"0000000000000000\"}) { errors { code } } }", Admins),
        ["createTenant"] = ("mutation { createTenant(input: {id: \"bad/id\"}) { errors { code } } }", Admins),
        ["proposeChange"] = ("mutation { proposeChange(input: {title: \"t\", targets: [{deviceId: \"nope\", patch: {location: \"x\"}}]}) { errors { code } } }", Operators),
        ["updateChange"] = ("mutation { updateChange(input: {changeId: \"nope\", title: \"t\", targets: []}) { errors { code } } }", Operators),
        ["approveChange"] = ("mutation { approveChange(input: {changeId: \"nope\"}) { errors { code } } }", Approvers),
        ["rejectChange"] = ("mutation { rejectChange(input: {changeId: \"nope\"}) { errors { code } } }", Approvers),
        ["acknowledgeEmergency"] = ("mutation { acknowledgeEmergency(input: {changeId: \"nope\"}) { errors { code } } }", GlobalApprovers),
        ["executeChange"] = ("mutation { executeChange(input: {changeId: \"nope\"}) { errors { code } } }", Operators),
        ["cancelChange"] = ("mutation { cancelChange(input: {changeId: \"nope\"}) { errors { code } } }", Operators),
        ["restoreConfig"] = ("mutation { restoreConfig(input: {deviceId: \"nope\", version: 1}) { errors { code } } }", Operators),
        ["createIntent"] = ("mutation { createIntent(input: {kind: CONNECTIVITY, connectivity: {a: {deviceId: \"nope\"}, b: {deviceId: \"nope-2\"}}}) { errors { code } } }", Operators),
        ["updateIntent"] = ("mutation { updateIntent(input: {id: \"nope\", intent: {kind: CONNECTIVITY}}) { errors { code } } }", Operators),
        ["withdrawIntent"] = ("mutation { withdrawIntent(input: {id: \"nope\"}) { errors { code } } }", Operators),
        ["setChangePolicy"] = ("mutation { setChangePolicy(input: {maxTargets: 0}) { errors { code } } }", Admins),
        ["createWebhook"] = ("mutation { createWebhook(input: {url: \"ftp://x\"}) { errors { code } } }", Admins),
        ["pauseWebhook"] = ("mutation { pauseWebhook(input: {webhookId: \"nope\"}) { errors { code } } }", Admins),
        ["resumeWebhook"] = ("mutation { resumeWebhook(input: {webhookId: \"nope\"}) { errors { code } } }", Admins),
        ["deleteWebhook"] = ("mutation { deleteWebhook(input: {webhookId: \"nope\"}) { errors { code } } }", Admins),
        ["redeliverWebhook"] = ("mutation { redeliverWebhook(input: {webhookId: \"nope\", fromSequence: 1}) { errors { code } } }", Admins),
        ["backfillHistory"] = ("mutation { backfillHistory(input: {days: 0}) { errors { code } } }", Operators),
        ["setAnalyticsPolicy"] = ("mutation { setAnalyticsPolicy(input: {minuteRetentionDays: 0}) { errors { code } } }", Admins),
    };

    // Fields below the root that read more than the object they belong to: whoever may see the object may read them.
    private static readonly Dictionary<string, (string Document, string[] Allowed)> ObjectFields = new()
    {
        ["Interface.utilization"] = ("{ devices(first: 1) { nodes { interfaces { utilization(since: \"2026-12-01T00:00:00Z\", until: \"2026-12-01T01:00:00Z\") { at } } } } }", Everyone),
        ["Link.utilization"] = ("{ links(first: 1) { nodes { utilization(since: \"2026-12-01T00:00:00Z\", until: \"2026-12-01T01:00:00Z\") { at } } } }", Everyone),
        ["Link.forecast"] = ("{ links(first: 1) { nodes { key forecast(horizon: HOUR) { runOutAt } } } }", Everyone),
    };

    private static readonly Dictionary<string, (string Document, string[] Allowed)> Subscriptions = new()
    {
        ["topologyChanged"] = ("subscription { topologyChanged(since: 0) { sequence } }", Everyone),
        ["deviceStatusChanged"] = ("subscription { deviceStatusChanged(deviceId: \"nope\") { sequence } }", Everyone),
        ["deviceTelemetry"] = ("subscription { deviceTelemetry(deviceId: \"nope\") { interface } }", Everyone),
        ["changeUpdated"] = ("subscription { changeUpdated(since: 0) { sequence } }", Everyone),
        ["intentUpdated"] = ("subscription { intentUpdated(since: 0) { sequence } }", Everyone),
        ["analyticsEvents"] = ("subscription { analyticsEvents(since: 0) { sequence } }", Everyone),
    };

    [Fact]
    public async Task The_matrix_names_every_root_field_of_the_schema()
    {
        await host.StartAsync(postgres);
        var schema = await host.DataAsync(host.Token("viewer"), "{ __schema { queryType { fields { name } } mutationType { fields { name } } subscriptionType { fields { name } } } }");
        string[] Names(string type) => [.. schema["__schema"]![type]!["fields"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()).Order()];
        Assert.Equal(Queries.Keys.Order(), Names("queryType"));
        Assert.Equal(Mutations.Keys.Order(), Names("mutationType"));
        Assert.Equal(Subscriptions.Keys.Order(), Names("subscriptionType"));
    }

    [Fact]
    public async Task Queries_and_mutations_are_allowed_or_refused_as_the_matrix_says()
    {
        await host.StartAsync(postgres);
        var wrong = new List<string>();
        foreach (var (field, (document, allowed)) in Queries.Concat(Mutations).Concat(ObjectFields))
        {
            foreach (var who in Everyone)
            {
                var (status, body) = await host.PostAsync(host.Token(who), document);
                var codes = SecuredSilo.Codes(body);
                var refused = codes.Contains("FORBIDDEN");
                var shouldRun = allowed.Contains(who);
                if (refused == shouldRun || (refused && status != HttpStatusCode.BadRequest) || (!refused && status != HttpStatusCode.OK))
                {
                    wrong.Add($"{field} as {who}: {(int)status} {body?.ToJsonString()}");
                }
            }
        }

        Assert.Empty(wrong);
    }

    [Fact]
    public async Task Subscriptions_are_allowed_or_refused_as_the_matrix_says_and_nobody_subscribes_without_a_valid_token()
    {
        await host.StartAsync(postgres);
        var wrong = new List<string>();
        foreach (var who in Everyone)
        {
            await using var socket = await GraphQLSocket.ConnectAsync(host.Silo.HttpPort, host.Token(who));
            foreach (var (field, (document, _)) in Subscriptions)
            {
                await socket.SubscribeAsync(field, document);
            }

            // A refusal is decided before anything runs, so it arrives well within this window.
            var refused = new HashSet<string>(StringComparer.Ordinal);
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(1.5);
            while (DateTime.UtcNow < deadline && await socket.ReceiveAsync(deadline - DateTime.UtcNow) is { } message)
            {
                if (message["id"]?.GetValue<string>() is { } id && message.ToJsonString().Contains("FORBIDDEN", StringComparison.Ordinal))
                {
                    refused.Add(id);
                }
            }

            foreach (var (field, (_, allowed)) in Subscriptions)
            {
                if (refused.Contains(field) == allowed.Contains(who))
                {
                    wrong.Add($"{field} as {who}: {(refused.Contains(field) ? "refused" : "ran")}");
                }
            }
        }

        Assert.Empty(wrong);
        foreach (var bad in new[] { "", "pdsno_0000000000000000_" + new string('0', 64), host.Token("viewer") + "x" })
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => GraphQLSocket.ConnectAsync(host.Silo.HttpPort, bad));
        }
    }

    [Fact]
    public async Task Without_a_token_the_api_answers_401_and_the_ide_page_and_health_stay_open()
    {
        await host.StartAsync(postgres);
        var (status, body) = await host.PostAsync(null, "{ regions(first: 1) { totalCount } }");
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(["UNAUTHENTICATED"], SecuredSilo.Codes(body));

        (status, body) = await host.PostAsync("pdsno_not_a_token", "{ regions(first: 1) { totalCount } }");
        Assert.Equal(HttpStatusCode.Unauthorized, status);

        using var page = new HttpRequestMessage(HttpMethod.Get, "/graphql");
        page.Headers.Accept.ParseAdd("text/html");
        Assert.Equal(HttpStatusCode.OK, (await host.Anonymous.SendAsync(page)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Anonymous.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Anonymous.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Anonymous.GetAsync("/status")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Anonymous.PostAsync("/sandbox/devices/r1-core-1/down", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Anonymous.GetAsync("/metrics")).StatusCode);

        using var metricsChallenge = await host.Anonymous.GetAsync("/metrics");
        Assert.Equal("Bearer", metricsChallenge.Headers.WwwAuthenticate.Single().Scheme);
        using var scraped = await GetMetricsAsync(host.Token("admin"));
        Assert.Equal(HttpStatusCode.OK, scraped.StatusCode);
        Assert.Contains("# TYPE", await scraped.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Whole_tenant_endpoints_refuse_tokens_limited_to_regions_and_the_sandbox_refuses_viewers()
    {
        await host.StartAsync(postgres);
        var scoped = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", host.Token("operator@r1"));
        using var status = new HttpRequestMessage(HttpMethod.Get, "/status") { Headers = { Authorization = scoped } };
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Anonymous.SendAsync(status)).StatusCode);
        using var byViewer = new HttpRequestMessage(HttpMethod.Post, "/sandbox/devices/r1-core-1/up")
        {
            Headers = { Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", host.Token("viewer")) },
        };
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Anonymous.SendAsync(byViewer)).StatusCode);
        using var summary = new HttpRequestMessage(HttpMethod.Get, "/status")
        {
            Headers = { Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", host.Token("viewer")) },
        };
        Assert.Equal(HttpStatusCode.OK, (await host.Anonymous.SendAsync(summary)).StatusCode);
    }

    [Fact]
    public async Task The_dashboard_asks_for_an_admin_token_as_basic_password()
    {
        await host.StartAsync(postgres);
        using var anonymous = await host.Anonymous.GetAsync("/dashboard/");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Basic", anonymous.Headers.WwwAuthenticate.Single().Scheme);

        Assert.Equal(HttpStatusCode.Forbidden, (await GetDashboardAsync(host.Token("viewer"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetDashboardAsync(host.Token("admin") + "0")).StatusCode);
        using var admin = await GetDashboardAsync(host.Token("admin"));
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Contains("html", (await admin.Content.ReadAsStringAsync()).ToLowerInvariant(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_dashboard_and_metrics_show_the_whole_cluster_only_to_unscoped_admins_of_the_provider_tenant()
    {
        await host.StartAsync(postgres);
        var created = await host.DataAsync(host.Token("admin"), "mutation { createTenant(input: {id: \"dash-other\"}) { secret errors { code message } } }");
        var otherAdmin = created["createTenant"]!["secret"]!.GetValue<string>();
        var scopedAdmin = await host.CreateTokenAsync(host.Token("admin"), "admin-r1", ["admin"], ["region-1"]);

        foreach (var refused in new[] { otherAdmin, scopedAdmin, host.Token("operator") })
        {
            using var dashboard = await GetDashboardAsync(refused);
            Assert.Equal(HttpStatusCode.Forbidden, dashboard.StatusCode);
            using var metrics = await GetMetricsAsync(refused);
            Assert.Equal(HttpStatusCode.Forbidden, metrics.StatusCode);
        }

        using (var dashboard = await GetDashboardAsync(host.Token("admin")))
        {
            Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        }

        using (var metrics = await GetMetricsAsync(host.Token("admin")))
        {
            Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        }

        // The live log stream is off unless configured: even the provider admin does not get it.
        using (var trace = new HttpRequestMessage(HttpMethod.Get, "/dashboard/Trace"))
        {
            trace.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", host.Token("admin"));
            using var response = await host.Anonymous.SendAsync(trace, HttpCompletionOption.ResponseHeadersRead);
            Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("disabled", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        }

        // The refusal is in the other tenant's audit trail, with the path.
        const string Denied = "{ events(first: 100, types: [PERMISSION_DENIED]) { nodes { newValue } } }";
        await Eventually.ValueAsync(
            async () => (long)(await host.DataAsync(otherAdmin, Denied))["events"]!["nodes"]!.AsArray()
                .Count(e => e!["newValue"]!.GetValue<string>().Contains("/dashboard", StringComparison.Ordinal)),
            n => n > 0,
            TimeSpan.FromSeconds(15),
            "the dashboard refusal in the audit trail");
    }

    [Fact]
    public async Task The_sandbox_routes_run_the_mutations_commands_within_the_callers_regions()
    {
        await host.StartAsync(postgres);
        var all = await host.DataAsync(host.Token("viewer"), "{ devices(first: 100) { nodes { id key name region { key } } } }");
        var devices = all["devices"]!["nodes"]!.AsArray().Select(d => d!).ToList();
        var inRegion1 = devices.First(d => d["region"]!["key"]!.GetValue<string>() == "region-1");
        var inRegion2 = devices.First(d => d["region"]!["key"]!.GetValue<string>() == "region-2");
        string Name(JsonNode d) => d["name"]!.GetValue<string>();
        string Key(JsonNode d) => d["key"]!.GetValue<string>();

        // Bringing up a device that is up changes nothing, so the shared silo stays as it was.
        var scoped = host.Token("operator@r1");
        Assert.Equal(HttpStatusCode.OK, (await SandboxAsync(scoped, $"/sandbox/devices/{Name(inRegion1)}/up")).Status);
        Assert.Equal(HttpStatusCode.OK, (await SandboxAsync(scoped, $"/sandbox/devices/{Key(inRegion1)}/up")).Status);
        Assert.Equal(HttpStatusCode.OK, (await SandboxAsync(scoped, $"/sandbox/devices/region-1%2F{Name(inRegion1)}/up")).Status);
        Assert.Equal(HttpStatusCode.OK, (await SandboxAsync(scoped, $"/sandbox/devices/{Name(inRegion1)}/counters/jump/0")).Status);

        // Beyond the token's regions a device reads as unknown, over HTTP as in the mutation.
        var (outside, problem) = await SandboxAsync(scoped, $"/sandbox/devices/{Name(inRegion2)}/up");
        Assert.Equal(HttpStatusCode.NotFound, outside);
        Assert.Contains("not found", problem, StringComparison.Ordinal);
        var mutation = await host.DataAsync(scoped, "mutation($id: ID!) { jumpCounters(input: {id: $id, octets: 0}) { device { key } errors { code message } } }", new JsonObject { ["id"] = Name(inRegion2) });
        Assert.Equal("NOT_FOUND", mutation["jumpCounters"]!["errors"]![0]!["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await SandboxAsync(host.Token("operator"), $"/sandbox/devices/{Name(inRegion2)}/up")).Status);

        // Bad input is 400 on both paths, named.
        Assert.Equal(HttpStatusCode.BadRequest, (await SandboxAsync(scoped, $"/sandbox/devices/{Name(inRegion1)}/counters/jump/-1")).Status);
        var negative = await host.DataAsync(scoped, "mutation($id: ID!) { jumpCounters(input: {id: $id, octets: -1}) { errors { code message } } }", new JsonObject { ["id"] = Name(inRegion1) });
        Assert.Equal("BAD_USER_INPUT", negative["jumpCounters"]!["errors"]![0]!["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, (await SandboxAsync(scoped, $"/sandbox/devices/{Name(inRegion1)}/sideways")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SandboxAsync(scoped, $"/sandbox/links/{Name(inRegion1)}/no-such-interface/up")).Status);

        // The mutation names the device by its name too, and answers the same device.
        var jumped = await host.DataAsync(scoped, "mutation($id: ID!) { jumpCounters(input: {id: $id, octets: 0}) { device { key } errors { code } } }", new JsonObject { ["id"] = Name(inRegion1) });
        Assert.Equal(Key(inRegion1), jumped["jumpCounters"]!["device"]!["key"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_token_limited_to_a_region_sees_and_changes_only_that_region()
    {
        await host.StartAsync(postgres);
        var scoped = host.Token("operator@r1");
        var devices = await host.DataAsync(scoped, "{ devices(first: 100) { totalCount nodes { key region { key } } } regions(first: 10) { nodes { key } } }");
        Assert.NotEmpty(devices["devices"]!["nodes"]!.AsArray());
        Assert.All(devices["devices"]!["nodes"]!.AsArray(), d => Assert.Equal("region-1", d!["region"]!["key"]!.GetValue<string>()));
        Assert.Equal(["region-1"], devices["regions"]!["nodes"]!.AsArray().Select(r => r!["key"]!.GetValue<string>()));

        var all = await host.DataAsync(host.Token("viewer"), "{ devices(first: 100) { totalCount nodes { id key region { key } } } }");
        var inRegion2 = all["devices"]!["nodes"]!.AsArray().First(d => d!["region"]!["key"]!.GetValue<string>() == "region-2")!;
        Assert.True(devices["devices"]!["totalCount"]!.GetValue<int>() < all["devices"]!["totalCount"]!.GetValue<int>());

        var (_, body) = await host.PostAsync(scoped, "query($id: ID!) { device(id: $id) { id } node(id: $id) { id } }", new JsonObject { ["id"] = inRegion2["id"]!.GetValue<string>() });
        Assert.Equal(["NOT_FOUND", "NOT_FOUND"], SecuredSilo.Codes(body));

        var down = await host.DataAsync(scoped, "mutation($id: ID!) { setDeviceDown(input: {id: $id, down: true}) { device { id } errors { code } } }", new JsonObject { ["id"] = inRegion2["id"]!.GetValue<string>() });
        Assert.Equal("NOT_FOUND", down["setDeviceDown"]!["errors"]![0]!["code"]!.GetValue<string>());
        var trigger = await host.DataAsync(scoped, "mutation { triggerDiscovery(input: {id: \"region-2\"}) { errors { code } } }");
        Assert.Equal("NOT_FOUND", trigger["triggerDiscovery"]!["errors"]![0]!["code"]!.GetValue<string>());
        (_, body) = await host.PostAsync(scoped, "{ topology(regionId: \"region-2\") { nodes { id } } }");
        Assert.Equal(["NOT_FOUND"], SecuredSilo.Codes(body));

        // Its own region's drawing shows the devices beyond the border by key only.
        const string Drawing = "{ topology(regionId: \"region-1\") { nodes { key external label regionKey device { managementAddress chassisId interfaces { name } } } } }";
        var externalScoped = (await host.DataAsync(scoped, Drawing))["topology"]!["nodes"]!.AsArray().Where(n => n!["external"]!.GetValue<bool>()).ToList();
        var externalAll = (await host.DataAsync(host.Token("viewer"), Drawing))["topology"]!["nodes"]!.AsArray().Where(n => n!["external"]!.GetValue<bool>()).ToList();
        Assert.NotEmpty(externalAll);
        Assert.All(externalAll, n => Assert.NotNull(n!["device"]));
        Assert.Equal(externalAll.Select(n => n!["key"]!.GetValue<string>()), externalScoped.Select(n => n!["key"]!.GetValue<string>()));
        Assert.All(externalScoped, n => Assert.True(n!["label"] is null && n["regionKey"] is null && n["device"] is null, n!.ToJsonString()));

        // A link across the region border is visible from the scoped side, the device beyond it is not.
        const string Neighbours = "{ devices(first: 100, filter: {regionId: \"region-1\"}) { nodes { key neighbors { remoteDeviceKey device { region { key } } } } } }";
        static List<(string Remote, string? Region)> Across(JsonNode data) =>
            [.. data["devices"]!["nodes"]!.AsArray().SelectMany(d => d!["neighbors"]!.AsArray())
                .Select(n => (n!["remoteDeviceKey"]!.GetValue<string>(), n["device"]?["region"]!["key"]!.GetValue<string>()))];
        var seenByViewer = Across(await host.DataAsync(host.Token("viewer"), Neighbours));
        Assert.Contains(seenByViewer, n => n.Region == "region-2");
        var seenScoped = Across(await host.DataAsync(scoped, Neighbours));
        Assert.Equal(seenByViewer.Select(n => n.Remote), seenScoped.Select(n => n.Remote));
        Assert.Equal(seenByViewer.Select(n => n.Region == "region-1" ? "region-1" : null), seenScoped.Select(n => n.Region));

        var own = await host.DataAsync(scoped, "mutation { triggerDiscovery(input: {id: \"region-1\"}) { region { key } errors { code } } }");
        Assert.Equal("region-1", own["triggerDiscovery"]!["region"]!["key"]!.GetValue<string>());
    }

    private async Task<HttpResponseMessage> GetMetricsAsync(string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return await host.Anonymous.SendAsync(request);
    }

    private async Task<HttpResponseMessage> GetDashboardAsync(string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/dashboard/");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("ops:" + token)));
        return await host.Anonymous.SendAsync(request);
    }

    private async Task<(HttpStatusCode Status, string Body)> SandboxAsync(string token, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Headers = { Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token) },
        };
        using var response = await host.Anonymous.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
