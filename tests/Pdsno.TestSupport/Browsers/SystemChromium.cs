namespace Pdsno.TestSupport.Browsers;

/// <summary>
/// The machine's own chromium, which the console's browser tests and the bench drive (Playwright's download of its
/// browser cannot work without the internet).
/// </summary>
public static class SystemChromium
{
    private static readonly string[] Names = ["chromium", "chromium-browser", "google-chrome"];

    /// <summary>Arguments a headless chromium needs in containers and CI, which run as root without a sandbox.</summary>
    public static IReadOnlyList<string> Arguments { get; } = ["--no-sandbox", "--disable-dev-shm-usage"];

    /// <summary><c>PDSNO_CHROMIUM</c>, or the first of the usual names on PATH.</summary>
    public static string ExecutablePath()
    {
        if (Environment.GetEnvironmentVariable("PDSNO_CHROMIUM") is { Length: > 0 } configured)
        {
            return configured;
        }

        var folders = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return Names
            .SelectMany(name => folders.Select(folder => Path.Combine(folder, name)))
            .FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("No chromium on PATH: install it (Debian: apt-get install chromium) or set PDSNO_CHROMIUM.");
    }
}
