using System.Diagnostics;
using Npgsql;

namespace Pdsno.IntegrationTests.Infrastructure;

/// <summary>Runs the silo's commands (<c>migrate</c>, <c>audit</c>, <c>token</c>) as an operator would.</summary>
internal static class SiloCommand
{
    /// <summary>Runs <c>Pdsno.Silo.dll</c> with <paramref name="args"/> and only <paramref name="environment"/> as settings.</summary>
    public static async Task<(int Exit, string Output)> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(RepoPaths.SiloDll)! };
        psi.ArgumentList.Add(RepoPaths.SiloDll);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment.Remove("ConnectionStrings__Pdsno");
        psi.Environment.Remove("ConnectionStrings__PdsnoOwner");
        foreach (var (k, v) in environment)
        {
            psi.Environment[k.Replace(":", "__", StringComparison.Ordinal)] = v;
        }

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>
    /// The README's setup on the database of <paramref name="ownerConnectionString"/>: a login role of its own for the
    /// silo, the schema applied by the owner with <c>Pdsno.Silo migrate</c>; returns the silo role's connection string.
    /// </summary>
    public static async Task<string> SiloRoleAsync(string ownerConnectionString)
    {
        var owner = new NpgsqlConnectionStringBuilder(ownerConnectionString);
        var role = "silo_" + owner.Database;
        var password = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        await using (var connection = new NpgsqlConnection(ownerConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE ROLE {role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '{password}'", connection);
            await create.ExecuteNonQueryAsync();
        }

        var silo = new NpgsqlConnectionStringBuilder(ownerConnectionString) { Username = role, Password = password }.ConnectionString;
        var (exit, output) = await RunAsync(new Dictionary<string, string> { ["ConnectionStrings:PdsnoOwner"] = ownerConnectionString, ["ConnectionStrings:Pdsno"] = silo }, "migrate");
        if (exit != 0 || !output.Contains($"granted role '{role}'", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"migrate failed ({exit}): {output}");
        }

        return silo;
    }
}
