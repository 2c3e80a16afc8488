namespace Pdsno.Silo.Hosting;

/// <summary>
/// What the silo's commands (<c>token</c>, <c>audit</c>, <c>migrate</c>) share: settings read as the silo reads them,
/// and <c>--name value</c> options.
/// </summary>
public static class CommandLine
{
    /// <summary>
    /// Splits <paramref name="args"/> into the command's own words and the silo's configuration sources
    /// (<c>appsettings.json</c> of the content root, environment, <c>--Section:Key=value</c>), so that a connection
    /// string or key kept in <c>appsettings.json</c> serves a command as it serves the silo.
    /// </summary>
    public static (string[] Command, IConfiguration Configuration) Split(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var settings = args.Where(IsSetting).ToList();
        var command = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            // Host settings the silo takes as "--name value" are host settings here too.
            if (args[i] is "--contentRoot" or "--environment" && i + 1 < args.Length)
            {
                settings.Add($"{args[i]}={args[++i]}");
            }
            else if (!IsSetting(args[i]))
            {
                command.Add(args[i]);
            }
        }

        var configuration = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [.. settings] }).Configuration;
        return ([.. command], configuration);
    }

    /// <summary>Reads <c>--name value</c> pairs; <paramref name="problem"/> names the first word that is not one.</summary>
    public static bool TryOptions(ReadOnlySpan<string> args, out Dictionary<string, string> options, out string? problem)
    {
        options = new Dictionary<string, string>(StringComparer.Ordinal);
        problem = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                problem = $"unexpected '{args[i]}'";
                return false;
            }

            options[args[i][2..]] = args[++i];
        }

        return true;
    }

    private static bool IsSetting(string arg) => arg.StartsWith("--", StringComparison.Ordinal) && arg.Contains('=', StringComparison.Ordinal);
}
