using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Pdsno.Abstractions.Security;

namespace Pdsno.Security;

/// <summary>
/// The named authorization policies every endpoint uses (<c>RequireAuthorization(PdsnoPolicies.Viewer)</c>). Each
/// refusal says what is missing; the GraphQL API applies the same roles per field with its own rule.
/// </summary>
public static class PdsnoPolicies
{
    /// <summary>Any role (every role reads).</summary>
    public const string Viewer = "viewer";

    /// <summary>Viewer, with access to every region of the tenant (summaries of the whole tenant).</summary>
    public const string TenantViewer = "tenant-viewer";

    /// <summary>Operator (admins operate too).</summary>
    public const string Operator = "operator";

    /// <summary>Operator with access to every region of the tenant.</summary>
    public const string TenantOperator = "tenant-operator";

    /// <summary>Admin of the caller's tenant.</summary>
    public const string Admin = "admin";

    /// <summary>
    /// Admin of the provider tenant without a region limit: for what shows the whole cluster, every tenant at once
    /// (the Orleans dashboard, <c>/metrics</c>).
    /// </summary>
    public const string ProviderAdmin = "provider-admin";

    internal static void Add(AuthorizationOptions options)
    {
        Add(options, Viewer, new CallerRequirement(Roles.Viewer, AllRegions: false, ProviderTenant: false));
        Add(options, TenantViewer, new CallerRequirement(Roles.Viewer, AllRegions: true, ProviderTenant: false));
        Add(options, Operator, new CallerRequirement(Roles.Operator, AllRegions: false, ProviderTenant: false));
        Add(options, TenantOperator, new CallerRequirement(Roles.Operator, AllRegions: true, ProviderTenant: false));
        Add(options, Admin, new CallerRequirement(Roles.Admin, AllRegions: false, ProviderTenant: false));
        Add(options, ProviderAdmin, new CallerRequirement(Roles.Admin, AllRegions: true, ProviderTenant: true));
    }

    private static void Add(AuthorizationOptions options, string name, CallerRequirement requirement) =>
        options.AddPolicy(name, policy => policy.RequireAuthenticatedUser().AddRequirements(requirement));
}

/// <summary>What a policy asks of the caller: a role, possibly every region, possibly the provider tenant.</summary>
public sealed record CallerRequirement(Roles Role, bool AllRegions, bool ProviderTenant) : IAuthorizationRequirement;

/// <summary>Checks a <see cref="CallerRequirement"/> against the request's caller; a failure's reason is shown to the caller.</summary>
internal sealed class CallerRequirementHandler(IOptions<SecurityOptions> options) : AuthorizationHandler<CallerRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, CallerRequirement requirement)
    {
        if (CallerPrincipal.CallerOf(context.User) is not { } caller)
        {
            return Task.CompletedTask;
        }

        var failure = !caller.Has(requirement.Role) ? $"this needs the {RoleNames.NameOf(requirement.Role)} role"
            : requirement.ProviderTenant && !caller.IsSystem && !string.Equals(caller.Tenant, options.Value.ProviderTenant, StringComparison.Ordinal)
                ? "this shows the whole cluster, every tenant: it needs an admin token of the provider tenant"
            : requirement.AllRegions && caller.IsRegionScoped
                ? $"this covers more than the regions this token is limited to ({string.Join(", ", caller.Regions)}); a token limited to regions uses the GraphQL API"
            : null;
        if (failure is null)
        {
            context.Succeed(requirement);
        }
        else
        {
            context.Fail(new AuthorizationFailureReason(this, failure));
        }

        return Task.CompletedTask;
    }
}
