using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Pdsno.Abstractions.Events;
using Pdsno.Abstractions.Security;

namespace Pdsno.Security;

/// <summary>
/// Answers a refusal of an authenticated caller with 403 and its reason, and records it in the tenant's audit trail
/// (which coalesces floods); anonymous callers get the scheme's challenge as usual.
/// </summary>
internal sealed class RefusalResultHandler(IAuditTrail audit) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden && CallerPrincipal.CallerOf(context.User) is { } caller)
        {
            var reason = authorizeResult.AuthorizationFailure?.FailureReasons.Select(r => r.Message).FirstOrDefault() ?? "this token may not use this";
            audit.Refused(caller.Tenant, TopologyEventType.PermissionDenied, caller.Actor, $"{context.Request.Path}: {reason}");
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await context.Response.WriteAsync(reason);
            return;
        }

        await _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
