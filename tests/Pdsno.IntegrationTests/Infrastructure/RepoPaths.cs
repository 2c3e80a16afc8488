namespace Pdsno.IntegrationTests.Infrastructure;

/// <summary>Finds the repository and the silo build the tests run.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string SiloDll
    {
        get
        {
            // The silo is built in the same configuration as the tests (it is a project reference).
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
            var path = Path.Combine(Root, "src", "Pdsno.Silo", "bin", configuration, "net10.0", "Pdsno.Silo.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException("The silo is not built", path);
        }
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PDSNO.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("PDSNO.sln not found above " + AppContext.BaseDirectory);
    }
}
