using Microsoft.Extensions.Logging;
using Pdsno.Abstractions.Events;
using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Security;

namespace Pdsno.Grains.Security;

/// <summary>
/// Checks every call into a PDSNO grain that comes from outside the cluster's grains (the API, the host) against
/// the caller in the request context, so that a path which skips the GraphQL checks is still guarded. Calls
/// between grains are trusted: they act on behalf of a call that was checked when it entered. Only a call that
/// starts inside a silo (its in-process client) may act as the system; one from a gateway client never does.
/// </summary>
public sealed partial class CallerAuthorizationFilter(IAuditTrail audit, ILogger<CallerAuthorizationFilter> logger) : IIncomingGrainCallFilter
{
    private static readonly System.Reflection.Assembly Guarded = typeof(IRegionGrain).Assembly;

    /// <inheritdoc />
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var method = context.InterfaceMethod;
        if (method?.DeclaringType is not { } grainInterface
            || grainInterface.Assembly != Guarded
            || (context.SourceId is { } source && !source.IsClient()))
        {
            await context.Invoke();
            return;
        }

        var caller = CallerContext.Current;
        var key = context.TargetId.Key.ToString()!;
        var denied = caller is { IsSystem: true } && context.SourceId is { } client && !IsSiloClient(client)
            ? $"a client outside the silos cannot act as the system ({method.Name} on {grainInterface.Name})"
            : GrainAccessPolicy.Decide(GrainAccess.Of(method), caller, grainInterface, key, method.Name);
        if (denied is not null)
        {
            LogDenied(logger, caller?.Actor ?? "nobody", denied);
            if (caller is { IsSystem: false })
            {
                audit.Refused(caller.Tenant, TopologyEventType.PermissionDenied, caller.Actor, "grain call refused: " + denied);
            }

            throw new UnauthorizedAccessException(denied);
        }

        await context.Invoke();
    }

    // A silo's in-process client is named "hosted-<silo address>" by Orleans; a gateway client names itself. The
    // gateway does not check the name a client claims, so a hand-made client could claim this one too: that needs the
    // cluster certificate (mutual TLS on the gateway), which is the line of defence against such a client.
    private static bool IsSiloClient(GrainId client) =>
        client.Key.ToString()?.StartsWith("hosted-", StringComparison.Ordinal) == true;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Grain call by {Actor} refused: {Reason}")]
    private static partial void LogDenied(ILogger logger, string actor, string reason);
}
