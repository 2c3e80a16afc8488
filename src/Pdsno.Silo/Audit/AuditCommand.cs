using Npgsql;
using Pdsno.Silo.Hosting;
using Pdsno.Storage.Audit;

namespace Pdsno.Silo.Audit;

/// <summary><c>Pdsno.Silo audit verify [--tenant T]</c>: checks the hash chains of the audit trail straight in the database.</summary>
public static class AuditCommand
{
    private const string Usage = """
        usage: Pdsno.Silo audit verify [--tenant <tenant>]
        Checks every tenant's audit chain (or one tenant's) and prints how many records were checked and either OK or
        the first broken record. Exit code 0 when intact, 1 when broken. Settings are read as the silo reads them
        (ConnectionStrings__Pdsno, appsettings.json of --contentRoot, --Section:Key=value).
        """;

    /// <summary>Runs the command with the silo's configuration sources; returns the exit code.</summary>
    public static Task<int> RunAsync(string[] args)
    {
        var (command, configuration) = CommandLine.Split(args);
        return RunAsync(command, configuration);
    }

    /// <summary>Runs the command; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(configuration);
        string? problem = null;
        if (args.Length == 0 || args[0] != "verify" || !CommandLine.TryOptions(args.AsSpan(1), out var options, out problem)
            || options.Keys.Any(k => k != "tenant"))
        {
            await Console.Error.WriteLineAsync(problem is null ? Usage : $"pdsno audit: {problem}\n{Usage}");
            return 2;
        }

        var tenant = options.GetValueOrDefault("tenant");
        await using var dataSource = NpgsqlDataSource.Create(configuration.PdsnoConnectionString());
        AuditVerification result;
        try
        {
            result = await new AuditChainReader(dataSource).VerifyAsync(tenant);
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync($"pdsno audit verify: {ex.Message}");
            return 2;
        }

        var scope = tenant is null ? "all tenants" : $"tenant {tenant}";
        if (result.FirstBroken is { } broken)
        {
            Console.WriteLine($"checked {result.Checked} records ({scope}): BROKEN at tenant {broken.Tenant} seq {broken.Seq}: {broken.Reason}");
            return 1;
        }

        Console.WriteLine($"checked {result.Checked} records ({scope}): OK");
        return 0;
    }
}
