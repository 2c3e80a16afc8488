using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Pdsno.Abstractions.Security;
using Pdsno.Grains.Security;
using Pdsno.Silo.Hosting;
using Pdsno.Storage;
using Pdsno.Storage.Migrations;
using Pdsno.Storage.Projection;
using Pdsno.Storage.Security;

namespace Pdsno.Silo.Security;

/// <summary>
/// <c>Pdsno.Silo token create|list|revoke</c>: token administration straight against the database, for when no
/// admin token is at hand. A revocation made here holds on running silos within seconds (they re-read tokens);
/// one made through the API holds at once.
/// </summary>
public static class TokenCommand
{
    private const string Usage = """
        usage: Pdsno.Silo token create --name <name> --roles <role,...> [--tenant <tenant>] [--regions <region,...>] [--expires <ISO-8601 time>] [--out <file>]
               Pdsno.Silo token list [--tenant <tenant>]
               Pdsno.Silo token revoke --id <token id> [--tenant <tenant>]
        Settings are read as the silo reads them: appsettings.json and appsettings.{Environment}.json in the content
        root (the current directory, or --contentRoot <dir>), environment variables (ConnectionStrings__Pdsno) and
        --Section:Key=value arguments. The tenant defaults to Security:ProviderTenant.
        """;

    /// <summary>
    /// Runs the command with the silo's configuration sources, so that a connection string or key kept in
    /// <c>appsettings.json</c> serves the command as it serves the silo.
    /// </summary>
    public static Task<int> RunAsync(string[] args)
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
        return RunAsync([.. command], configuration);
    }

    private static bool IsSetting(string arg) => arg.StartsWith("--", StringComparison.Ordinal) && arg.Contains('=', StringComparison.Ordinal);

    /// <summary>Runs the command; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(configuration);
        string? problem = null;
        if (args.Length == 0 || !TryOptions(args.AsSpan(1), out var options, out problem))
        {
            await Console.Error.WriteLineAsync(problem is null ? Usage : $"pdsno token: {problem}\n{Usage}");
            return 2;
        }

        var connectionString = configuration.PdsnoConnectionString();
        await new SchemaMigrator(NullLogger<SchemaMigrator>.Instance).MigrateAsync(connectionString, CancellationToken.None);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var store = new ApiTokenStore(dataSource);
        var tenant = options.GetValueOrDefault("tenant") ?? configuration["Security:ProviderTenant"] ?? "default";
        switch (args[0])
        {
            case "create":
                return await CreateAsync(configuration, dataSource, store, tenant, options);
            case "list":
                foreach (var token in await store.ListAsync(tenant))
                {
                    var state = token.RevokedAt is not null ? "revoked" : token.IsActiveAt(DateTimeOffset.UtcNow) ? "active" : "expired";
                    Console.WriteLine($"{token.Id}  {state,-7}  {token.Name}  {string.Join(",", RoleNames.Names(token.Roles))}  {(token.Regions.IsDefaultOrEmpty ? "all regions" : string.Join(",", token.Regions))}  last used {token.LastUsedAt?.ToString("u", CultureInfo.InvariantCulture) ?? "never"}");
                }

                return 0;
            case "revoke":
                if (!options.TryGetValue("id", out var id))
                {
                    await Console.Error.WriteLineAsync("pdsno token revoke: --id is required");
                    return 2;
                }

                var revoked = await store.RevokeAsync(id, tenant, "command line", DateTimeOffset.UtcNow);
                if (revoked is null)
                {
                    await Console.Error.WriteLineAsync($"pdsno token revoke: tenant '{tenant}' has no token '{id}'");
                    return 1;
                }

                await using (var audit = Audit(dataSource))
                {
                    await audit.WriteAsync(new AuditEntry(tenant, Abstractions.Events.TopologyEventType.TokenRevoked, "command line", TokenIssuer.Describe(revoked)));
                }

                Console.WriteLine($"revoked {id}");
                return 0;
            default:
                await Console.Error.WriteLineAsync(Usage);
                return 2;
        }
    }

    private static async Task<int> CreateAsync(IConfiguration configuration, NpgsqlDataSource dataSource, ApiTokenStore store, string tenant, Dictionary<string, string> options)
    {
        TokenSpec spec;
        try
        {
            var roles = RoleNames.Parse((options.GetValueOrDefault("roles") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries));
            var regions = (options.GetValueOrDefault("regions") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            DateTimeOffset? expires = options.TryGetValue("expires", out var e) ? DateTimeOffset.Parse(e, CultureInfo.InvariantCulture) : null;
            spec = new TokenSpec(options.GetValueOrDefault("name") ?? "", roles, [.. regions], expires);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            await Console.Error.WriteLineAsync($"pdsno token create: {ex.Message}");
            return 2;
        }

        var key = TokenKeySetting.Read(configuration);
        await using var audit = Audit(dataSource);
        var issuer = new TokenIssuer(store, new TokenKeyring(dataSource, key, NullLogger<TokenKeyring>.Instance), audit, TimeProvider.System);
        CreatedToken created;
        try
        {
            await store.CreateTenantAsync(tenant, tenant, "command line");
            created = (await issuer.IssueAsync(tenant, spec, "command line"))!;
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync($"pdsno token create: {ex.Message}");
            return 2;
        }

        if (options.TryGetValue("out", out var file))
        {
            AdminBootstrap.WriteSecret(Path.GetFullPath(file), created.Secret);
            Console.WriteLine($"created token {created.Token.Id} ({created.Token.Name}); the token is in {Path.GetFullPath(file)}");
        }
        else
        {
            Console.WriteLine(created.Secret);
        }

        return 0;
    }

    private static AuditLog Audit(NpgsqlDataSource dataSource) =>
        new(new PostgresProjectionWriter(dataSource, new DatabaseHealth(), NullLogger<PostgresProjectionWriter>.Instance), TimeProvider.System, NullLogger<AuditLog>.Instance);

    private static bool TryOptions(ReadOnlySpan<string> args, out Dictionary<string, string> options, out string? problem)
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
}
