using Pdsno.Abstractions.Security;

namespace Pdsno.GraphQL;

/// <summary>
/// Who is asking, carried through execution as the GraphQL user context. The tenant comes from the caller's
/// credential, never from a query argument; every read and every grain call is scoped by it.
/// </summary>
public sealed class PdsnoUserContext : Dictionary<string, object?>
{
    /// <summary>The authenticated caller.</summary>
    public required Caller Caller { get; init; }

    /// <summary>The caller's tenant.</summary>
    public string Tenant => Caller.Tenant;

    /// <summary>
    /// A context for one more operation of the same caller (a WebSocket connection runs many): the same caller and
    /// entries, without the batch loaders of earlier operations, so no operation reads another's cached rows and the
    /// caches do not grow for as long as the connection lives.
    /// </summary>
    public PdsnoUserContext ForOperation()
    {
        var context = new PdsnoUserContext { Caller = Caller };
        foreach (var (key, value) in this)
        {
            if (value is not Loading.RequestLoaders)
            {
                context[key] = value;
            }
        }

        return context;
    }
}

/// <summary>Builds the user context of a request (HTTP) or connection (WebSocket, from the connection_init payload).</summary>
public interface IPdsnoUserContextFactory
{
    /// <summary>
    /// The context for a caller; <paramref name="initPayload"/> is the WebSocket connection_init payload, if any.
    /// Throws <see cref="Security.AuthenticationRequiredException"/> when the caller has no valid credential.
    /// </summary>
    ValueTask<PdsnoUserContext> CreateAsync(Microsoft.AspNetCore.Http.HttpContext httpContext, IReadOnlyDictionary<string, object?>? initPayload, CancellationToken cancellationToken);
}
