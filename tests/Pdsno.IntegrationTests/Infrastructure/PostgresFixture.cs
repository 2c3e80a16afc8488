using System.Diagnostics;
using Npgsql;

namespace Pdsno.IntegrationTests.Infrastructure;

/// <summary>
/// A real PostgreSQL for the test run: the one <c>PDSNO_TEST_POSTGRES</c> names, or a private server the
/// fixture initialises in a temporary folder (as an unprivileged user when running as root) and stops.
/// Each test gets a database of its own.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private string? _folder;
    private bool _alwaysPrivate;

    /// <summary>A fixture that always starts its own server, for tests that stop it.</summary>
    internal static PostgresFixture Private() => new() { _alwaysPrivate = true };

    public string AdminConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var given = Environment.GetEnvironmentVariable("PDSNO_TEST_POSTGRES");
        if (!_alwaysPrivate && !string.IsNullOrWhiteSpace(given))
        {
            AdminConnectionString = given;
            return;
        }

        _folder = Path.Combine(Path.GetTempPath(), "pdsno-test-pg-" + Guid.NewGuid().ToString("n")[..8]);
        AdminConnectionString = (await PgScriptAsync("start", _folder, "auto")).Trim().Split('\n')[^1];
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_folder is not null)
        {
            await PgScriptAsync("stop", _folder);
            try
            {
                Directory.Delete(_folder, recursive: true);
                var pointer = Path.Combine(_folder, "datadir");
                if (File.Exists(pointer))
                {
                    Directory.Delete(File.ReadAllText(pointer).Trim(), recursive: true);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "pdsno_t_" + Guid.NewGuid().ToString("n")[..12];
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await cmd.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>Stops the private server (the fault tests' outage); only for servers this fixture started.</summary>
    public Task StopServerAsync() => _folder is null ? throw new InvalidOperationException("not a private server") : PgScriptAsync("stop", _folder);

    /// <summary>Starts the private server again.</summary>
    public Task StartServerAsync() => _folder is null ? throw new InvalidOperationException("not a private server") : PgScriptAsync("start", _folder, "auto");

    /// <summary>True when the fixture owns the server and may stop it.</summary>
    public bool OwnsServer => _folder is not null;

    private static async Task<string> PgScriptAsync(params string[] args)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(RepoPaths.Root, "scripts", "pg.sh"));
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"pg.sh {string.Join(' ', args)} failed ({process.ExitCode}): {await stderr}");
        }

        return await stdout;
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresGroup : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
