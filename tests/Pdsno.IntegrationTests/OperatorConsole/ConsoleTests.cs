using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Pdsno.IntegrationTests.Infrastructure;
using Pdsno.IntegrationTests.Security;

namespace Pdsno.IntegrationTests.OperatorConsole;

/// <summary>
/// The operator console in a real headless chromium against a real silo: sign-in, the live map, the device panel,
/// approving a change, a refused token, and a dropped WebSocket. Each browser test leaves a screenshot in
/// TestResults/console. Also the coordinates the map is laid out by, as the public API gives them.
/// </summary>
[Collection(PostgresGroup.Name)]
public sealed class ConsoleTests(PostgresFixture postgres, SecuredSilo host, ConsoleBrowser browser) : IClassFixture<SecuredSilo>, IClassFixture<ConsoleBrowser>
{
    private const string Region = "region-1";

    [Fact]
    public async Task An_operator_signs_in_sees_the_regions_devices_and_a_device_taken_down_turns_unreachable_without_a_reload()
    {
        await host.StartAsync(postgres);
        var page = await browser.OpenAsync(host.Silo);
        await ConsoleBrowser.SignInAsync(page, host.Token("operator"));
        await page.GotoAsync($"/#/region/{Region}");
        await ConsoleBrowser.WaitForRegionAsync(page, Region);

        var expected = await DevicesAsync(Region);
        var drawn = await ConsoleBrowser.DrawnDevicesAsync(page);
        Assert.Equal(expected.Keys.Order(), drawn.Keys.Order());
        Assert.DoesNotContain(host.Token("operator"), page.Url, StringComparison.Ordinal);
        Assert.Equal(host.Token("operator"), await page.EvaluateAsync<string>("() => sessionStorage.getItem('pdsno.token')"));

        await page.EvaluateAsync("() => { window.stillTheSamePage = true; }");
        var (key, (name, _, _)) = expected.First(d => d.Value is { Role: "access", Status: "ACTIVE" });
        Assert.Equal("ACTIVE", drawn[key]);
        await SandboxAsync(name, "down");
        await ConsoleBrowser.WaitForNodeStatusAsync(page, key, "UNREACHABLE");
        Assert.True(await page.EvaluateAsync<bool>("() => window.stillTheSamePage === true"));
        await ConsoleBrowser.ScreenshotAsync(page, "map-device-unreachable");
        await SandboxAsync(name, "up");
    }

    [Fact]
    public async Task A_dropped_websocket_reconnects_and_resumes_from_the_last_sequence_so_nothing_is_missed()
    {
        await host.StartAsync(postgres);
        var page = await browser.OpenAsync(host.Silo);
        var sockets = new ConcurrentQueue<IWebSocketRoute>();
        var subscribes = new ConcurrentQueue<JsonNode>();
        await page.RouteWebSocketAsync("**/graphql", socket =>
        {
            var server = socket.ConnectToServer();
            sockets.Enqueue(socket);
            socket.OnMessage(frame =>
            {
                var message = JsonNode.Parse(frame.Text ?? "{}")!;
                if (message["type"]?.GetValue<string>() == "subscribe")
                {
                    subscribes.Enqueue(message);
                }

                server.Send(frame.Text!);
            });
        });
        await ConsoleBrowser.SignInAsync(page, host.Token("operator"));
        await page.GotoAsync($"/#/region/{Region}");
        await ConsoleBrowser.WaitForRegionAsync(page, Region);
        await page.WaitForSelectorAsync("#live[data-state='live']");
        // The route hands each frame to the test as it passes, which may be a moment after the page has shown it sent.
        await Eventually.ValueAsync(() => Task.FromResult(subscribes.Count), n => n >= 1, TimeSpan.FromSeconds(10), "the first subscribe relayed");
        Assert.Single(subscribes);

        // Drop the connection, and let the network change while the console is away.
        var (key, (name, _, _)) = (await DevicesAsync(Region)).Last(d => d.Value is { Role: "access", Status: "ACTIVE" });
        Assert.True(sockets.TryPeek(out var first));
        await first.CloseAsync(new WebSocketRouteCloseOptions { Code = 4500, Reason = "dropped by the test" });
        await SandboxAsync(name, "down");

        await ConsoleBrowser.WaitForNodeStatusAsync(page, key, "UNREACHABLE");
        await page.WaitForSelectorAsync("#live[data-state='live']");
        Assert.True(subscribes.Count >= 2, $"{subscribes.Count} subscriptions");
        // The second subscription starts where the first one's last event left off, not at the start or the end.
        var since = subscribes.Select(s => s["payload"]!["variables"]!["since"]!.GetValue<long>()).ToList();
        Assert.True(since[0] > 0 && since[1] >= since[0], $"resubscribed with since {since[1]} after starting at {since[0]}");
        await ConsoleBrowser.ScreenshotAsync(page, "map-reconnected");
        await SandboxAsync(name, "up");
    }

    [Fact]
    public async Task A_device_found_by_name_opens_its_panel_with_interfaces_neighbours_and_config()
    {
        await host.StartAsync(postgres);
        var (key, device) = (await DevicesAsync(Region)).First(d => d.Value.Role == "core");
        var page = await browser.OpenAsync(host.Silo);
        await ConsoleBrowser.SignInAsync(page, host.Token("viewer"));
        await page.WaitForSelectorAsync("#shell:not([hidden])");
        await page.GotoAsync($"/#/region/{Region}");
        await ConsoleBrowser.WaitForRegionAsync(page, Region);
        await page.FillAsync("#search", device.Name);
        await page.PressAsync("#search", "Enter");

        var panel = page.Locator($"article.device[data-device='{key}']");
        await panel.WaitForAsync();
        Assert.Contains($"/#/device/{key}", page.Url, StringComparison.Ordinal);
        Assert.Equal(device.Name, (await panel.Locator("h2").InnerTextAsync()).Split(' ')[0]);
        var interfaces = await DataAsync("query($id: ID!) { device(id: $id) { interfaces { name } neighbors { remoteDeviceKey } } }", key);
        Assert.Equal(interfaces["device"]!["interfaces"]!.AsArray().Count, await panel.Locator("table").Nth(0).Locator("tbody tr").CountAsync());
        Assert.Equal(interfaces["device"]!["neighbors"]!.AsArray().Count, await panel.Locator("table").Nth(1).Locator("tbody tr").CountAsync());
        Assert.Contains("version", await panel.Locator("section.config").InnerTextAsync(), StringComparison.Ordinal);
        await ConsoleBrowser.ScreenshotAsync(page, "device-panel");
    }

    [Fact]
    public async Task A_region_approver_sees_the_diff_and_impact_of_a_change_and_approves_it_with_a_comment()
    {
        await host.StartAsync(postgres);
        var (key, device) = (await DevicesAsync(Region)).First(d => d.Value.Role == "distribution");
        var proposed = await DataAsync(
            """mutation($d: ID!) { proposeChange(input: {title: "Route to the lab", targets: [{deviceId: $d, patch: {addRoutes: [{prefix: "10.99.0.0/16", nextHop: "10.0.0.1", metric: 10}]}}]}) { change { key status } errors { message } } }""",
            key, "d", host.Token("operator"));
        var change = proposed["proposeChange"]!["change"]!["key"]!.GetValue<string>();
        Assert.Equal("PENDING_APPROVAL", proposed["proposeChange"]!["change"]!["status"]!.GetValue<string>());

        var page = await browser.OpenAsync(host.Silo);
        await ConsoleBrowser.SignInAsync(page, host.Token("region-approver"));
        await page.WaitForSelectorAsync("#shell:not([hidden])");
        await page.GotoAsync($"/#/change/{change}");
        var panel = page.Locator($"article.change[data-change='{change}']");
        await panel.WaitForAsync();
        Assert.Contains("10.99.0.0/16", await panel.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await panel.Locator("button[data-action='execute']").CountAsync());
        await ConsoleBrowser.WaitForRegionAsync(page, Region);
        await page.WaitForFunctionAsync("key => document.getElementById('map')._cyreg.cy.getElementById(key).hasClass('impact')", key);

        await page.FillAsync("#comment", "lab route agreed");
        await page.ClickAsync("button[data-action='approve']");
        await page.Locator($"article.change[data-change='{change}'] h2 .status", new PageLocatorOptions { HasText = "APPROVED" }).WaitForAsync();
        await ConsoleBrowser.ScreenshotAsync(page, "change-approved");
        var approvals = await DataAsync("query($id: ID!) { change(id: $id) { status approvals { comment decision } } }", change);
        Assert.Equal("APPROVED", approvals["change"]!["status"]!.GetValue<string>());
        Assert.Equal("lab route agreed", approvals["change"]!["approvals"]![0]!["comment"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_operator_previews_an_intent_sees_its_paths_on_the_map_and_shares_the_preview_as_a_link()
    {
        await host.StartAsync(postgres);
        const string DeepLink = "#/intents?a=r1-dist-1&b=r2-acc-1&mbps=100&protection=LINK_DISJOINT";
        var expected = (await host.DataAsync(host.Token("operator"), """
            { previewIntent(input: {kind: CONNECTIVITY, connectivity: {a: {deviceId: "r1-dist-1"}, b: {deviceId: "r2-acc-1"}, minBandwidthBps: 100000000, protection: LINK_DISJOINT}}) {
                feasible path { deviceKeys linkKeys } backupPath { linkKeys } } }
            """))["previewIntent"]!;
        Assert.True(expected["feasible"]!.GetValue<bool>(), expected.ToJsonString());

        var page = await browser.OpenAsync(host.Silo);
        await ConsoleBrowser.SignInAsync(page, host.Token("operator"));
        await page.WaitForSelectorAsync("#shell:not([hidden])");
        await page.Keyboard.PressAsync("i");
        var form = page.Locator("form.intent-form");
        await form.WaitForAsync();
        Assert.EndsWith("#/intents", page.Url, StringComparison.Ordinal);
        await form.Locator("input[name=a]").FillAsync("r1-dist-1");
        await form.Locator("input[name=b]").FillAsync("r2-acc-1");
        await form.Locator("input[name=mbps]").FillAsync("100");
        await form.Locator("select[name=protection]").SelectOptionAsync("LINK_DISJOINT");
        await form.Locator("button[type=submit]").ClickAsync();

        var preview = page.Locator("section.preview[data-feasible='true']");
        await preview.WaitForAsync();
        Assert.EndsWith(DeepLink, page.Url, StringComparison.Ordinal);
        var path = expected["path"]!["deviceKeys"]!.AsArray();
        Assert.Equal(path.Count, await preview.Locator("ol.path.primary li").CountAsync());
        Assert.True(await preview.Locator("ol.path.backup li").CountAsync() > 0);
        // The path from region-1's end is marked on region-1's map, the backup apart from it.
        await ConsoleBrowser.WaitForRegionAsync(page, Region);
        var firstLink = expected["path"]!["linkKeys"]![0]!.GetValue<string>();
        var firstBackupLink = expected["backupPath"]!["linkKeys"]![0]!.GetValue<string>();
        await page.WaitForFunctionAsync(
            "([p, b]) => { const cy = document.getElementById('map')._cyreg.cy; return cy.getElementById(p).hasClass('impact') && cy.getElementById(b).hasClass('backup'); }",
            new[] { firstLink, firstBackupLink });
        await ConsoleBrowser.ScreenshotAsync(page, "intent-preview");

        // The path ends in region-2: that region's map, drawn from the preview, marks its part there, and the map of
        // all regions marks both regions and the step between them, for the path and for the backup.
        var (lastDevice, lastLink) = (path[^1]!.GetValue<string>(), expected["path"]!["linkKeys"]!.AsArray()[^1]!.GetValue<string>());
        await preview.Locator("nav.map-regions button[data-region='region-2']").ClickAsync();
        await ConsoleBrowser.WaitForRegionAsync(page, "region-2");
        await page.WaitForFunctionAsync(
            "([d, l]) => { const cy = document.getElementById('map')._cyreg.cy; return cy.getElementById(d).hasClass('impact') && cy.getElementById(l).hasClass('impact'); }",
            new[] { lastDevice, lastLink });
        await ConsoleBrowser.ScreenshotAsync(page, "intent-preview-region-2");
        await preview.Locator("nav.map-regions button[data-region='']").ClickAsync();
        await page.WaitForFunctionAsync("""
            () => { const cy = document.getElementById('map')._cyreg.cy;
                    return cy.getElementById('region:region-1').hasClass('impact') && cy.getElementById('region:region-2').hasClass('impact')
                        && cy.$('edge.hop.impact[source = "region:region-1"][target = "region:region-2"]').nonempty() && cy.$('edge.hop.backup').nonempty(); }
            """);
        await ConsoleBrowser.ScreenshotAsync(page, "intent-preview-all-regions");
        Assert.EndsWith(DeepLink, page.Url, StringComparison.Ordinal);

        // The link shows the same preview to another operator, without the form being filled in.
        var shared = await browser.OpenAsync(host.Silo);
        await ConsoleBrowser.SignInAsync(shared, host.Token("operator"));
        await shared.WaitForSelectorAsync("#shell:not([hidden])");
        await shared.GotoAsync("/" + DeepLink);
        await shared.Locator("section.preview[data-feasible='true']").WaitForAsync();
        Assert.Equal("r1-dist-1", await shared.Locator("form.intent-form input[name=a]").InputValueAsync());
        Assert.Equal(path.Count, await shared.Locator("ol.path.primary li").CountAsync());

        // A wrong end is refused naming the field, with nothing compiled.
        await shared.GotoAsync("/#/intents?a=no-such-device&b=r2-acc-1");
        var refused = shared.Locator("section.preview[data-feasible='error']");
        await refused.WaitForAsync();
        Assert.Contains("input.connectivity.a.deviceId", await refused.InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_or_revoked_token_gets_a_clear_sign_in_error_and_is_not_kept()
    {
        await host.StartAsync(postgres);
        var admin = host.Token("admin");
        var revoked = await host.CreateTokenAsync(admin, "soon-revoked", ["viewer"]);
        var id = (await host.DataAsync(revoked, "{ viewer { tokenId } }"))["viewer"]!["tokenId"]!.GetValue<string>();
        await host.DataAsync(admin, "mutation($id: ID!) { revokeApiToken(input: {id: $id}) { errors { code } } }", new JsonObject { ["id"] = id });

        var page = await browser.OpenAsync(host.Silo);
        foreach (var token in new[] { "pdsno_not-a-token", revoked })
        {
            await ConsoleBrowser.SignInAsync(page, token);
            await page.Locator("#signin-error", new PageLocatorOptions { HasText = "does not accept this token" }).WaitForAsync();
            Assert.True(await page.IsHiddenAsync("#shell"));
            Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('pdsno.token')"));
        }

        // From a link to a region, whose read starts beside the sign-in's: refused alike, and the map is never shown.
        await page.GotoAsync($"/#/region/{Region}");
        await page.FillAsync("#token", revoked);
        await page.ClickAsync("#signin button[type=submit]");
        await page.Locator("#signin-error", new PageLocatorOptions { HasText = "does not accept this token" }).WaitForAsync();
        Assert.True(await page.IsHiddenAsync("#shell"));
        Assert.Null(await page.GetAttributeAsync("#map", "data-region"));
        await ConsoleBrowser.ScreenshotAsync(page, "sign-in-refused");
    }

    [Fact]
    public async Task A_token_revoked_while_the_console_is_open_signs_it_out_at_its_next_read_with_the_reason()
    {
        await host.StartAsync(postgres);
        var admin = host.Token("admin");
        var token = await host.CreateTokenAsync(admin, "revoked-while-open", ["viewer"]);
        var page = await browser.OpenAsync(host.Silo);
        await ConsoleBrowser.SignInAsync(page, token);
        await page.GotoAsync($"/#/region/{Region}");
        await ConsoleBrowser.WaitForRegionAsync(page, Region);

        var id = (await host.DataAsync(token, "{ viewer { tokenId } }"))["viewer"]!["tokenId"]!.GetValue<string>();
        await host.DataAsync(admin, "mutation($id: ID!) { revokeApiToken(input: {id: $id}) { errors { code } } }", new JsonObject { ["id"] = id });
        await page.Keyboard.PressAsync("c");
        await page.Locator("#signin-error", new PageLocatorOptions { HasText = "no longer accepts this token" }).WaitForAsync();
        Assert.True(await page.IsHiddenAsync("#shell"));
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('pdsno.token')"));
    }

    [Fact]
    public async Task The_topology_gives_each_device_the_coordinates_of_the_topology_zoo_file_it_was_imported_from()
    {
        await host.StartAsync(postgres);
        var imported = await host.DataAsync(host.Token("admin"), """
            mutation { createRegion(input: {id: "zoo"}) { errors { message } }
                       importTopology(input: {regionId: "zoo", zooFile: "Abilene"}) { devicesImported errors { message } } }
            """);
        Assert.True(imported["importTopology"]!["devicesImported"]?.GetValue<int>() == 11, imported.ToJsonString());
        const string Query = "query($id: ID!) { topology(regionId: $id) { nodes { label external latitude longitude } } }";
        var nodes = await Eventually.ValueAsync(
            async () => (await DataAsync(Query, "zoo"))["topology"]!["nodes"]!.AsArray().Where(n => !n!["external"]!.GetValue<bool>()).ToList(),
            n => n.Count == 11 && n.All(x => x!["latitude"] is not null), TimeSpan.FromSeconds(60), "the 11 devices of Abilene discovered, with coordinates");

        // Abilene.gml: node 0, "New York", Latitude 40.71427, Longitude -74.00597.
        Assert.Contains(nodes, n => n!["latitude"]!.GetValue<double>() == 40.71427 && n["longitude"]!.GetValue<double>() == -74.00597);
        Assert.All(nodes, n => Assert.InRange(n!["latitude"]!.GetValue<double>(), 25, 50));

        // A token limited to another region learns nothing of this one, coordinates included.
        var (_, limited) = await host.PostAsync(host.Token("operator@r1"), "{ topology(regionId: \"zoo\") { nodes { latitude } } }");
        Assert.Equal(["NOT_FOUND"], SecuredSilo.Codes(limited));
        Assert.DoesNotContain("40.71427", limited!.ToJsonString(), StringComparison.Ordinal);
    }

    private async Task<Dictionary<string, (string Name, string Role, string Status)>> DevicesAsync(string region)
    {
        var data = await DataAsync("query($id: ID!) { devices(first: 200, filter: {regionId: $id}) { nodes { key name role status } } }", region);
        return data["devices"]!["nodes"]!.AsArray().ToDictionary(
            n => n!["key"]!.GetValue<string>(), n => (n!["name"]!.GetValue<string>(), n["role"]!.GetValue<string>(), n["status"]!.GetValue<string>()), StringComparer.Ordinal);
    }

    private Task<JsonNode> DataAsync(string query, string id, string variable = "id", string? token = null) =>
        host.DataAsync(token ?? host.Token("admin"), query, new JsonObject { [variable] = id });

    private async Task SandboxAsync(string device, string action)
    {
        var response = await host.Silo.Http.PostAsync($"/sandbox/devices/{device}/{action}", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
