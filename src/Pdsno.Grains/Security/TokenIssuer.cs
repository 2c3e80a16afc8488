using System.Globalization;
using Pdsno.Abstractions.Events;
using Pdsno.Abstractions.Ids;
using Pdsno.Abstractions.Security;

namespace Pdsno.Grains.Security;

/// <summary>
/// Creates tokens: checks the request, draws the secret, stores only its digest and records the creation in the
/// tenant's audit trail before the secret is handed out. Shared by the API, first start and the command line.
/// </summary>
public sealed class TokenIssuer(IApiTokenStore store, ITokenKeyring keyring, IAuditTrail audit, TimeProvider time)
{
    /// <summary>The longest token name accepted.</summary>
    public const int MaxNameLength = 100;

    /// <summary>
    /// Issues a token of <paramref name="tenant"/>. With <paramref name="bootstrap"/> it is the tenant's first-start
    /// admin token and null comes back when another silo already created it.
    /// </summary>
    public async Task<CreatedToken?> IssueAsync(string tenant, TokenSpec spec, string actor, bool bootstrap = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (ReservedTenants.IsReserved(tenant))
        {
            throw new ArgumentException($"tenant '{tenant}' is reserved; no token is issued in it");
        }

        var now = time.GetUtcNow();
        var problems = Problems(spec, now);
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", problems));
        }

        var (id, secret) = ApiTokenFormat.Generate();
        var info = new ApiTokenInfo(id, tenant, spec.Name.Trim(), spec.Roles, spec.Regions.IsDefault ? [] : spec.Regions, now, actor, spec.ExpiresAt, null, null);
        var digest = await keyring.DigestAsync(id, secret, cancellationToken);
        if (!await store.InsertAsync(info, digest, bootstrap, cancellationToken))
        {
            return null;
        }

        try
        {
            await audit.WriteAsync(new AuditEntry(tenant, TopologyEventType.TokenCreated, actor, Describe(info)), cancellationToken);
        }
        catch
        {
            // A token nobody can account for must not work: take it back before reporting the failure.
            await store.RevokeAsync(id, tenant, "system (audit write failed)", time.GetUtcNow(), CancellationToken.None);
            throw;
        }

        return new CreatedToken(info, ApiTokenFormat.Format(id, secret));
    }

    /// <summary>What is wrong with a token request, each problem naming the field.</summary>
    public static IReadOnlyList<string> Problems(TokenSpec spec, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(spec.Name))
        {
            problems.Add("name must not be empty");
        }
        else if (spec.Name.Trim().Length > MaxNameLength || spec.Name.Any(char.IsControl))
        {
            problems.Add($"name must be at most {MaxNameLength} printable characters");
        }

        if (spec.Roles == Roles.None)
        {
            problems.Add($"roles must name at least one of {string.Join(", ", RoleNames.All)}");
        }

        foreach (var region in spec.Regions.IsDefault ? [] : spec.Regions)
        {
            if (KeyPart.Problem(region, "regions") is { } problem)
            {
                problems.Add(problem);
            }
        }

        if (spec.ExpiresAt is { } expires && expires <= now)
        {
            problems.Add($"expiresAt {expires.ToString("O", CultureInfo.InvariantCulture)} is not in the future");
        }

        return problems;
    }

    /// <summary>How a token appears in the audit trail: id, name, roles, regions, expiry; never the secret.</summary>
    public static string Describe(ApiTokenInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        var regions = info.Regions.IsDefaultOrEmpty ? "all regions" : "regions " + string.Join(",", info.Regions);
        var expires = info.ExpiresAt is { } e ? "expires " + e.ToString("O", CultureInfo.InvariantCulture) : "no expiry";
        return $"token {info.Id} ({info.Name}): {string.Join(",", RoleNames.Names(info.Roles))}; {regions}; {expires}";
    }
}
