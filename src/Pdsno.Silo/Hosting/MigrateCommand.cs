using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Pdsno.Storage.Migrations;

namespace Pdsno.Silo.Hosting;

/// <summary>
/// <c>Pdsno.Silo migrate</c>: applies the schema as its owner (<c>ConnectionStrings:PdsnoOwner</c>) and grants the
/// silo's own role (the user of <c>ConnectionStrings:Pdsno</c>) what it needs, appending but never changing the audit
/// trail. The silo then runs without the owner's credentials.
/// </summary>
public static class MigrateCommand
{
    /// <summary>The configuration key of the owner's connection string.</summary>
    public const string OwnerConnectionStringKey = "ConnectionStrings:PdsnoOwner";

    /// <summary>Runs the command with the silo's configuration sources; returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var (command, configuration) = CommandLine.Split(args);
        if (command.Length > 0)
        {
            await Console.Error.WriteLineAsync("usage: Pdsno.Silo migrate   (with ConnectionStrings__PdsnoOwner, the schema's owner, and ConnectionStrings__Pdsno, the silo's role)");
            return 2;
        }

        var silo = configuration.PdsnoConnectionString();
        var owner = configuration[OwnerConnectionStringKey];
        if (string.IsNullOrWhiteSpace(owner))
        {
            await Console.Error.WriteLineAsync($"pdsno migrate: {OwnerConnectionStringKey} is not set (the connection string of the role that owns the schema)");
            return 2;
        }

        try
        {
            var applied = await new SchemaMigrator(NullLogger<SchemaMigrator>.Instance).MigrateAsync(owner, CancellationToken.None);
            var role = new NpgsqlConnectionStringBuilder(silo).Username;
            var warning = string.IsNullOrEmpty(role) ? "ConnectionStrings:Pdsno names no Username; nothing granted" : await RuntimeRole.GrantAsync(owner, role, CancellationToken.None);
            Console.WriteLine(applied.Count == 0 ? "schema up to date" : $"applied {string.Join(", ", applied)}");
            if (warning is not null)
            {
                await Console.Error.WriteLineAsync($"pdsno migrate: warning: {warning}");
            }
            else
            {
                Console.WriteLine($"granted role '{role}' the silo's privileges (audit trail: read and append only)");
            }

            return 0;
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or ArgumentException)
        {
            await Console.Error.WriteLineAsync($"pdsno migrate: {ex.Message}");
            return 1;
        }
    }
}
