using Microsoft.Extensions.Options;
using Pdsno.Abstractions.Security;
using Pdsno.Grains.Security;
using Pdsno.Security;
using Pdsno.Storage.Security;

namespace Pdsno.Silo.Security;

/// <summary>
/// First start: when the provider tenant has no working admin token, one is created and its secret written to
/// <c>Security:AdminTokenFile</c>, readable by this user only. Silos starting together create one between them.
/// </summary>
public static partial class AdminBootstrap
{
    /// <summary>Ensures an admin token exists; returns the file the new one was written to, or null when none was needed.</summary>
    public static async Task<string?> EnsureAdminTokenAsync(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.Services.GetRequiredService<IOptions<SecurityOptions>>().Value;
        var store = app.Services.GetRequiredService<ApiTokenStore>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Pdsno.Security");
        var tenant = options.ProviderTenant;
        await store.CreateTenantAsync(tenant, tenant, "system");
        if (await store.HasActiveAdminAsync(tenant))
        {
            return null;
        }

        var issuer = app.Services.GetRequiredService<TokenIssuer>();
        var created = await issuer.IssueAsync(tenant, new TokenSpec("first-admin", Roles.Admin, [], null), "system", bootstrap: true);
        if (created is null)
        {
            LogNoAdmin(logger, tenant);
            return null;
        }

        var path = Path.GetFullPath(options.AdminTokenFile);
        try
        {
            WriteSecret(path, created.Secret);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A token nobody can read is no use and must not linger.
            await store.RevokeAsync(created.Token.Id, tenant, "system (token file not writable)", DateTimeOffset.UtcNow);
            throw new Hosting.StartupException($"Security:AdminTokenFile '{path}' cannot be written: {ex.Message}", ex);
        }

        LogCreated(logger, created.Token.Id, tenant, path);
        return path;
    }

    /// <summary>Writes a secret to a file only its owner can read (the folder is created if missing).</summary>
    public static void WriteSecret(string path, string secret)
    {
        ArgumentNullException.ThrowIfNull(path);
        var folder = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        File.Delete(path);
        var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var writer = new StreamWriter(path, fileOptions);
        writer.Write(secret);
        writer.Write('\n');
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "First start: created admin token {TokenId} for tenant {Tenant}; the token is in {Path}, readable by this user only. Read it once, keep it in a secret store, and delete the file")]
    private static partial void LogCreated(ILogger logger, string tokenId, string tenant, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tenant {Tenant} has no working admin token and its first-start token exists; create one with: Pdsno.Silo token create --tenant <tenant> --name <name> --roles admin")]
    private static partial void LogNoAdmin(ILogger logger, string tenant);
}
