using System.Globalization;

namespace Pdsno.Bench;

/// <summary>Prints each figure as it is measured (one a line, with its unit and the core count) and a summary at the end.</summary>
internal sealed class Report
{
    private readonly List<(string Line, string? Target)> _figures = [];

    public static int Cores { get; } = Environment.ProcessorCount;

    public void Figure(string name, double value, string unit, string? target = null)
    {
        var line = $"{name} {Format(value)} {unit} (cores={Cores})";
        Console.WriteLine(line);
        _figures.Add((line, target));
    }

    public static void Note(string text) => Console.WriteLine("# " + text);

    public static void Progress(string text) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {text}");

    public void PrintSummary(TimeSpan elapsed)
    {
        Console.WriteLine();
        Console.WriteLine("==== PDSNO bench summary ====");
        Console.WriteLine($"machine: cores={Cores} os={Environment.OSVersion} runtime={Environment.Version} gc={(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}");
        foreach (var (line, target) in _figures)
        {
            Console.WriteLine(target is null ? line : $"{line}   target: {target}");
        }

        Console.WriteLine($"bench.elapsed_seconds {Format(elapsed.TotalSeconds)} s (cores={Cores})");
    }

    private static string Format(double value) =>
        Math.Abs(value) >= 1000 || value == Math.Floor(value)
            ? Math.Round(value).ToString("0", CultureInfo.InvariantCulture)
            : value.ToString("0.###", CultureInfo.InvariantCulture);
}
