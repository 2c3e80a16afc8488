using GraphQL;
using Microsoft.Extensions.DependencyInjection;
using Pdsno.Abstractions.Events;
using Pdsno.Abstractions.Security;
using Pdsno.Storage.ReadModel;

namespace Pdsno.GraphQL.Loading;

/// <summary>What every resolver needs from its context: the caller's tenant, the reader and the request's loaders.</summary>
public static class ResolveContextExtensions
{
    /// <summary>The request's user context; the tenant is never taken from an argument.</summary>
    public static PdsnoUserContext PdsnoUser(this IResolveFieldContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.UserContext as PdsnoUserContext
            ?? throw new InvalidOperationException("The request carries no PdsnoUserContext; the transport must create one per request.");
    }

    /// <summary>
    /// The request's one <typeparamref name="T"/> under <paramref name="key"/>, made by <paramref name="create"/> (from
    /// the request's services and caller) on first use, so every resolver of the request shares it.
    /// </summary>
    public static T RequestScoped<T>(this IResolveFieldContext context, string key, Func<IServiceProvider, Caller, T> create)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(create);
        var user = context.PdsnoUser();
        lock (user)
        {
            if (user.TryGetValue(key, out var existing) && existing is T found)
            {
                return found;
            }

            var services = context.RequestServices ?? throw new InvalidOperationException("The execution has no request services.");
            var made = create(services, user.Caller);
            user[key] = made;
            return made;
        }
    }

    /// <summary>The caller's tenant.</summary>
    public static string Tenant(this IResolveFieldContext context) => context.PdsnoUser().Tenant;

    /// <summary>The authenticated caller.</summary>
    public static Caller Caller(this IResolveFieldContext context) => context.PdsnoUser().Caller;

    /// <summary>The regions the caller is limited to, or null when it sees the whole tenant.</summary>
    public static IReadOnlyCollection<string>? Scope(this IResolveFieldContext context)
    {
        var caller = context.Caller();
        return caller.IsRegionScoped ? caller.Regions : null;
    }

    /// <summary>Event types the caller may not read: the audit trail is for admins of the whole tenant.</summary>
    public static IReadOnlyCollection<string>? HiddenEventTypes(this IResolveFieldContext context)
    {
        var caller = context.Caller();
        return caller.Has(Roles.Admin) && !caller.IsRegionScoped ? null : AuditEventTypes.Names;
    }

    /// <summary>The read model reader.</summary>
    public static TopologyReader Reader(this IResolveFieldContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return (context.RequestServices ?? throw new InvalidOperationException("The execution has no request services.")).GetRequiredService<TopologyReader>();
    }

    /// <summary>The request's batch loaders.</summary>
    public static RequestLoaders Loaders(this IResolveFieldContext context) => RequestLoaders.For(context);
}
