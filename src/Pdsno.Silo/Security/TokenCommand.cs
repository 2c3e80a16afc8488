using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Pdsno.Abstractions.Security;
using Pdsno.Grains.Security;
using Pdsno.Silo.Hosting;
using Pdsno.Storage;
using Pdsno.Storage.Audit;
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
        var (command, configuration) = CommandLine.Split(args);
        return RunAsync(command, configuration);
    }

    /// <summary>Runs the command; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(configuration);
        string? problem = null;
        if (args.Length == 0 || !CommandLine.TryOptions(args.AsSpan(1), out var options, out problem))
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
                await RecordAsync(dataSource, tenant, "token revoke", $"id={id}", revoked is null ? "NOT_FOUND" : AuditRecordDraft.Ok);
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
            await RecordAsync(dataSource, tenant, "token create", $"name={spec.Name}", "BAD_USER_INPUT", ex.Message);
            await Console.Error.WriteLineAsync($"pdsno token create: {ex.Message}");
            return 2;
        }

        await RecordAsync(dataSource, tenant, "token create", $"id={created.Token.Id}", AuditRecordDraft.Ok);
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
        new(new PostgresProjectionWriter(dataSource, new DatabaseHealth(), NullLogger<PostgresProjectionWriter>.Instance), new AuditChainWriter(dataSource, TimeProvider.System), TimeProvider.System, NullLogger<AuditLog>.Instance);

    /// <summary>The command as an operation of the tenant's audit trail, as a mutation would be.</summary>
    private static Task RecordAsync(NpgsqlDataSource dataSource, string tenant, string operation, string target, string outcome, string detail = "") =>
        new AuditChainWriter(dataSource, TimeProvider.System).AppendAsync([new AuditRecordDraft(tenant, "command line", operation, target, outcome, detail)]);
}
