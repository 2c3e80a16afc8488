using System.Diagnostics;
using System.Text.Json;
using Pdsno.IntegrationTests.Infrastructure;

namespace Pdsno.IntegrationTests.Security;

/// <summary>The <c>token</c> command reads its settings where the silo reads them.</summary>
[Collection(PostgresGroup.Name)]
public sealed class TokenCommandTests(PostgresFixture postgres)
{
    [Fact]
    public async Task The_token_command_reads_appsettings_files_the_environment_and_the_command_line()
    {
        var db = await postgres.CreateDatabaseAsync();
        var folder = Directory.CreateTempSubdirectory("pdsno-token-command-");
        try
        {
            // The connection string only in appsettings.json; the tenant in the environment's own file.
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "appsettings.json"), JsonSerializer.Serialize(new { ConnectionStrings = new { Pdsno = db } }));
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "appsettings.Staging.json"), JsonSerializer.Serialize(new { Security = new { ProviderTenant = "from-file" } }));

            var (exit, output) = await RunAsync(folder.FullName, "create", "--name", "a", "--roles", "viewer");
            Assert.True(exit == 0, output);
            (exit, output) = await RunAsync(folder.FullName, "create", "--name", "b", "--roles", "viewer", "--Security:ProviderTenant=from-args");
            Assert.True(exit == 0, output);

            var q = new ReadModelQueries(db);
            Assert.Equal("from-file", await q.TextAsync("SELECT tenant FROM api_tokens WHERE name = 'a'"));
            Assert.Equal("from-args", await q.TextAsync("SELECT tenant FROM api_tokens WHERE name = 'b'"));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static async Task<(int Exit, string Output)> RunAsync(string workingDirectory, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        psi.ArgumentList.Add(RepoPaths.SiloDll);
        psi.ArgumentList.Add("token");
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment.Remove("ConnectionStrings__Pdsno");
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Staging";
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
