using Microsoft.Extensions.Logging;
using Pdsno.Abstractions.Events;
using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Security;

namespace Pdsno.Grains.Security;

/// <summary>
/// Checks every call into a PDSNO grain that comes from outside the cluster's grains (the API, the host) against
/// the caller in the request context, so that a path which skips the GraphQL checks is still guarded. Calls
/// between grains are trusted: they act on behalf of a call that was checked when it entered.
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
        var denied = GrainAccessPolicy.Decide(GrainAccess.Of(method), caller, grainInterface, key, method.Name);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Grain call by {Actor} refused: {Reason}")]
    private static partial void LogDenied(ILogger logger, string actor, string reason);
}
