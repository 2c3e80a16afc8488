using Microsoft.Playwright;
using Pdsno.IntegrationTests.Infrastructure;
using Pdsno.TestSupport.Browsers;

namespace Pdsno.IntegrationTests.OperatorConsole;

/// <summary>
/// One headless chromium (the system's, not a downloaded one) shared by a test class, with a fresh context (its own
/// session storage) per page, and what the console tests read back from a page.
/// </summary>
public sealed class ConsoleBrowser : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>Where each test's screenshot goes: the test results folder of this project.</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(RepoPaths.Root, "tests", "Pdsno.IntegrationTests", "TestResults", "console");

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = SystemChromium.ExecutablePath(),
            Headless = true,
            Args = SystemChromium.Arguments,
        });
    }

    /// <summary>A new page in a context of its own, on the silo's console origin.</summary>
    public async Task<IPage> OpenAsync(SiloProcess silo)
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = $"http://127.0.0.1:{silo.HttpPort}",
            ViewportSize = new ViewportSize { Width = 1400, Height = 860 },
        });
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    /// <summary>Saves the page as <c>TestResults/console/{name}.png</c>.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, name + ".png") });
    }

    /// <summary>Opens the console and signs in with <paramref name="token"/> through its form.</summary>
    public static async Task SignInAsync(IPage page, string token)
    {
        await page.GotoAsync("/");
        await page.FillAsync("#token", token);
        await page.ClickAsync("#signin button[type=submit]");
    }

    /// <summary>Waits until the map shows <paramref name="region"/>, laid out.</summary>
    public static Task WaitForRegionAsync(IPage page, string region) =>
        page.WaitForSelectorAsync($"#map[data-region='{region}'][data-ready]");

    /// <summary>The devices of the region drawn on the map (not the external ends of its links), by key, with their status.</summary>
    public static async Task<Dictionary<string, string>> DrawnDevicesAsync(IPage page)
    {
        // cytoscape keeps its instance on its container; the test reads the drawing's model, not pixels.
        var drawn = await page.EvaluateAsync<string[][]>(
            "() => document.getElementById('map')._cyreg.cy.nodes('[!external]').map(n => [n.id(), n.data('status') ?? ''])");
        return drawn.ToDictionary(n => n[0], n => n[1], StringComparer.Ordinal);
    }

    /// <summary>Waits until the drawn node of <paramref name="deviceKey"/> has <paramref name="status"/>.</summary>
    public static Task WaitForNodeStatusAsync(IPage page, string deviceKey, string status) =>
        page.WaitForFunctionAsync(
            "([key, status]) => document.getElementById('map')._cyreg?.cy.getElementById(key).data('status') === status",
            new[] { deviceKey, status });

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
