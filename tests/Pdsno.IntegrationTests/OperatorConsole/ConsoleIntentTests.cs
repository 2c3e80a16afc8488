using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Pdsno.IntegrationTests.Infrastructure;
using Pdsno.IntegrationTests.Security;

namespace Pdsno.IntegrationTests.OperatorConsole;

/// <summary>
/// Stored intents in the operator console, in a real headless chromium against a real silo of its own (so the change
/// rules it sets meet no other test's changes): created from the preview, followed live in the list through
/// intentUpdated, opened by its link with its path marked on the map, withdrawn, and refused when created again under
/// its key. Screenshots go to TestResults/console.
/// </summary>
[Collection(PostgresGroup.Name)]
public sealed class ConsoleIntentTests(PostgresFixture postgres, SecuredSilo host, ConsoleBrowser browser) : IClassFixture<SecuredSilo>, IClassFixture<ConsoleBrowser>
{
    private const string Region = "region-1";

    [Fact]
    public async Task An_operator_creates_the_previewed_intent_sees_it_installed_live_opens_its_page_with_the_path_on_the_map_and_withdraws_it()
    {
        await host.StartAsync(postgres);
        // Intent routes are MEDIUM (the default rules): the intent waits for an approver, so the list has a transition
        // to show live once the change is approved and executed elsewhere.
        var policy = await host.DataAsync(host.Token("admin"),
            "mutation { setChangePolicy(input: {mediumRoles: [], highRegionCount: 100, highDeviceCount: 1000, intentRoutesLow: false}) { errors { message } } }");
        Assert.Empty(policy["setChangePolicy"]!["errors"]!.AsArray());

        var page = await browser.OpenAsync(host.Silo);
        await ConsoleBrowser.SignInAsync(page, host.Token("operator"));
        await page.WaitForSelectorAsync("#shell:not([hidden])");
        await page.GotoAsync("/#/intents?a=r1-acc-1&prefix=10.77.0.0%2F24&b=r1-acc-3&mbps=50&title=Lab+to+branch");
        await page.Locator("section.preview[data-feasible='true'] button[data-action='create']").ClickAsync();

        // The console opens the new intent's page: held for an approver, with the change it owns linked.
        var created = page.Locator("article.intent[data-state='PENDING_APPROVAL']");
        await created.WaitForAsync();
        var key = (await created.GetAttributeAsync("data-intent"))!;
        Assert.EndsWith($"#/intents/{key}", page.Url, StringComparison.Ordinal);
        var intent = await IntentAsync(key);
        Assert.Equal("Lab to branch", intent["title"]!.GetValue<string>());
        Assert.Equal(50_000_000, intent["connectivity"]!["minBandwidthBps"]!.GetValue<long>());
        var change = intent["changeKeys"]![0]!.GetValue<string>();

        // The change's page names the intent that owns it, and links back.
        await created.Locator($"a[href='#/change/{change}']").First.ClickAsync();
        await page.Locator($"article.change[data-change='{change}'] a[href='#/intents/{key}']").WaitForAsync();

        // A viewer follows the intent's page without the means to withdraw it.
        var viewer = await browser.OpenAsync(host.Silo);
        await ConsoleBrowser.SignInAsync(viewer, host.Token("viewer"));
        await viewer.WaitForSelectorAsync("#shell:not([hidden])");
        await viewer.GotoAsync($"/#/intents/{key}");
        await viewer.Locator($"article.intent[data-intent='{key}'][data-state='PENDING_APPROVAL']").WaitForAsync();
        Assert.Equal(0, await viewer.Locator("button[data-action='withdraw']").CountAsync());

        // The list, reached by its key, shows it waiting; the approval and execution happen outside the console, and
        // both the list and the viewer's page show it INSTALLED without a reload.
        await page.Keyboard.PressAsync("i");
        await page.Locator($"tr[data-intent='{key}'][data-state='PENDING_APPROVAL']").WaitForAsync();
        foreach (var open in new[] { page, viewer })
        {
            await open.EvaluateAsync("() => { window.stillTheSamePage = true; }");
        }

        var approved = await host.DataAsync(host.Token("region-approver"), "mutation($id: ID!) { approveChange(input: {changeId: $id}) { errors { message } } }", new JsonObject { ["id"] = change });
        Assert.Empty(approved["approveChange"]!["errors"]!.AsArray());
        await host.DataAsync(host.Token("operator"), "mutation($id: ID!) { executeChange(input: {changeId: $id}) { errors { message } } }", new JsonObject { ["id"] = change });
        await page.Locator($"tr[data-intent='{key}'][data-state='INSTALLED']").WaitForAsync();
        await viewer.Locator($"article.intent[data-intent='{key}'][data-state='INSTALLED']").WaitForAsync();
        foreach (var open in new[] { page, viewer })
        {
            Assert.True(await open.EvaluateAsync<bool>("() => window.stillTheSamePage === true"));
        }

        await ConsoleBrowser.ScreenshotAsync(page, "intents-list");

        // Filtered by state: it is among the installed, not the withdrawn.
        await page.GotoAsync("/#/intents?state=WITHDRAWN");
        await page.Locator("nav[aria-label='state'] a[aria-current='page']", new PageLocatorOptions { HasText = "withdrawn" }).WaitForAsync();
        Assert.Equal(0, await page.Locator($"tr[data-intent='{key}']").CountAsync());
        await page.GotoAsync("/#/intents?state=INSTALLED");
        var row = page.Locator($"tr[data-intent='{key}'][data-state='INSTALLED']");
        await row.WaitForAsync();

        // Its page, opened from the keyboard: state, reservation, and the path marked on the region's map.
        await row.Locator("a").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        var installed = page.Locator($"article.intent[data-intent='{key}'][data-state='INSTALLED']");
        await installed.WaitForAsync();
        Assert.Contains("50 Mbps", await installed.Locator("p.reserved").InnerTextAsync(), StringComparison.Ordinal);
        var path = (await IntentAsync(key))["path"]!;
        Assert.Equal(path["deviceKeys"]!.AsArray().Count, await installed.Locator("ol.path.primary li").CountAsync());
        await ConsoleBrowser.WaitForRegionAsync(page, Region);
        await page.WaitForFunctionAsync(
            "keys => { const cy = document.getElementById('map')._cyreg.cy; return keys.every(k => cy.getElementById(k).hasClass('impact')); }",
            path["linkKeys"]!.AsArray().Select(l => l!.GetValue<string>()).ToArray());
        await ConsoleBrowser.ScreenshotAsync(page, "intent-installed");
        // The other theme (key t), for the eye: the page and the marked path in light and in dark.
        var theme = await page.EvaluateAsync<string>("() => document.documentElement.dataset.theme");
        await page.Keyboard.PressAsync("t");
        await page.WaitForFunctionAsync("t => document.documentElement.dataset.theme !== t", theme);
        await ConsoleBrowser.ScreenshotAsync(page, "intent-installed-other-theme");

        // A device on its path lists it, linked back to its page.
        var hop = path["deviceKeys"]![1]!.GetValue<string>();
        await page.GotoAsync($"/#/device/{hop}");
        await page.Locator($"article.device[data-device='{hop}'] li[data-intent='{key}'] a").ClickAsync();

        // Withdrawn from its page: the page follows it to WITHDRAWN, and the server agrees.
        await installed.Locator("button[data-action='withdraw']").ClickAsync();
        await page.Locator($"article.intent[data-intent='{key}'][data-state='WITHDRAWN']").WaitForAsync();
        Assert.Equal("WITHDRAWN", (await IntentAsync(key))["state"]!.GetValue<string>());
        await page.WaitForFunctionAsync("() => document.getElementById('map')._cyreg.cy.$('.impact').empty()");
        await ConsoleBrowser.ScreenshotAsync(page, "intent-withdrawn");

        // Creating it again under its key is refused, and the console shows the API's reason, not a guess.
        await page.GotoAsync($"/#/intents?a=r1-acc-1&b=r1-acc-3&key={key}");
        await page.Locator("section.preview[data-feasible='true'] button[data-action='create']").ClickAsync();
        var refusal = page.Locator("section.preview .actions [role='alert']", new PageLocatorOptions { HasText = "exists already" });
        await refusal.WaitForAsync();
        Assert.Contains(key, await refusal.InnerTextAsync(), StringComparison.Ordinal);
        Assert.EndsWith($"key={key}", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_intents_list_pages_on_with_more_and_stays_live_without_showing_a_row_twice()
    {
        await host.StartAsync(postgres);
        var operatorToken = host.Token("operator");
        for (var i = 1; i <= 5; i++)
        {
            await CreateAsync(operatorToken, $"paged-{i}", $"r1-acc-{1 + (i % 3)}", $"r2-acc-{1 + (i % 3)}", $"10.{90 + i}.0.0/24");
        }

        // Settled first, so the first page shows what was read and no transition of theirs adds a row to it.
        string[] moving = ["INSTALL_REQ", "COMPILING", "INSTALLING", "RECOMPILING"];
        await Eventually.ValueAsync(
            async () => (await host.DataAsync(operatorToken, "{ intents(first: 200) { edges { node { state } } } }"))["intents"]!["edges"]!.AsArray()
                .Select(e => e!["node"]!["state"]!.GetValue<string>()).ToList(),
            states => !states.Any(moving.Contains), TimeSpan.FromSeconds(60), "the intents settled");

        var page = await browser.OpenAsync(host.Silo);
        await ConsoleBrowser.SignInAsync(page, operatorToken);
        await page.WaitForSelectorAsync("#shell:not([hidden])");
        await page.GotoAsync("/#/intents?first=2");
        var rows = page.Locator(".intent-list tbody tr");
        var more = page.Locator(".intent-list button[data-action='more']");
        await more.WaitForAsync();
        Assert.Equal(2, await rows.CountAsync());

        // A new intent shows at once while the first page is open, and the later page that holds it does not show it again.
        await page.EvaluateAsync("() => { window.stillTheSamePage = true; }");
        await CreateAsync(operatorToken, "paged-9", "r1-acc-1", "r2-acc-2", "10.99.0.0/24");
        await page.Locator("tr[data-intent='paged-9']").WaitForAsync();
        for (var pages = 0; await more.IsVisibleAsync(); pages++)
        {
            Assert.True(pages < 100, "the list never ran out of pages");
            await more.ClickAsync();
            await page.WaitForFunctionAsync("() => { const b = document.querySelector(\".intent-list button[data-action='more']\"); return !b.disabled || b.closest('[hidden]') !== null; }");
        }

        var shown = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('.intent-list tbody tr')].map(r => r.dataset.intent)");
        var stored = (await host.DataAsync(operatorToken, "{ intents(first: 200) { edges { node { key } } } }"))["intents"]!["edges"]!.AsArray()
            .Select(e => e!["node"]!["key"]!.GetValue<string>()).ToArray();
        Assert.Equal(shown.Length, shown.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(stored.Order(StringComparer.Ordinal), shown.Order(StringComparer.Ordinal));
        Assert.Contains($"{shown.Length} shown of {stored.Length}", await page.Locator(".intent-list p[role='status']").InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(await page.EvaluateAsync<bool>("() => window.stillTheSamePage === true"));
        await ConsoleBrowser.ScreenshotAsync(page, "intents-paged");
    }

    private async Task CreateAsync(string token, string key, string a, string b, string prefix)
    {
        var created = await host.DataAsync(token, "mutation($i: IntentInput!) { createIntent(input: $i) { errors { message } } }", new JsonObject
        {
            ["i"] = new JsonObject
            {
                ["key"] = key,
                ["kind"] = "CONNECTIVITY",
                ["connectivity"] = new JsonObject { ["a"] = new JsonObject { ["deviceId"] = a, ["prefix"] = prefix }, ["b"] = new JsonObject { ["deviceId"] = b } },
            },
        });
        Assert.Empty(created["createIntent"]!["errors"]!.AsArray());
    }

    private async Task<JsonNode> IntentAsync(string key) =>
        (await host.DataAsync(host.Token("operator"), "query($id: ID!) { intent(id: $id) { title state changeKeys connectivity { minBandwidthBps } path { deviceKeys linkKeys } } }",
            new JsonObject { ["id"] = key }))["intent"]!;
}
