using Pdsno.Abstractions.Security;
using Pdsno.GraphQL.Mutations;
using Pdsno.Security;

namespace Pdsno.Silo.Sandbox;

/// <summary>
/// Sandbox controls over HTTP: thin routes over <see cref="SandboxCommands"/>, the commands the GraphQL mutations
/// <c>setDeviceDown</c>, <c>setLinkDown</c> and <c>jumpCounters</c> run, so both name devices alike, keep to the
/// caller's regions alike, and refuse alike (not found 404, bad input or an ambiguous name 400, forbidden 403).
/// </summary>
public static class SandboxEndpoints
{
    /// <summary>Maps <c>/sandbox/...</c>.</summary>
    public static WebApplication MapPdsnoSandbox(this WebApplication app)
    {
        var group = app.MapGroup("/sandbox").RequireAuthorization(PdsnoPolicies.Operator).AddEndpointFilter(async (context, next) =>
        {
            // The grains see the same caller as they do behind a mutation.
            var caller = CallerPrincipal.RequiredCallerOf(context.HttpContext.User);
            object? result;
            try
            {
                using (CallerContext.Use(caller))
                {
                    result = await next(context);
                }
            }
            catch (Exception) when (!context.HttpContext.RequestAborted.IsCancellationRequested)
            {
                await context.HttpContext.RequestServices.GetRequiredService<IAuditChain>().AppendAsync([Audited(context.HttpContext, caller, Results.StatusCode(StatusCodes.Status500InternalServerError))]);
                throw;
            }

            // Like a mutation, the action is in the audit trail before the answer leaves.
            await context.HttpContext.RequestServices.GetRequiredService<IAuditChain>().AppendAsync([Audited(context.HttpContext, caller, result)]);
            return result;
        });

        group.MapPost("/devices/{device}/{action}", async (string device, string action, SandboxCommands sandbox, HttpContext http) =>
            DownOrUp(action) is not { } down
                ? UnknownAction(action)
                : Answer(await sandbox.SetDeviceDownAsync(CallerOf(http), Decoded(device), down, http.RequestAborted)));
        group.MapPost("/links/{device}/{interfaceName}/{action}", async (string device, string interfaceName, string action, SandboxCommands sandbox, HttpContext http) =>
            DownOrUp(action) is not { } down
                ? UnknownAction(action)
                : Answer(await sandbox.SetLinkDownAtAsync(CallerOf(http), Decoded(device), Decoded(interfaceName), down, http.RequestAborted)));
        group.MapPost("/devices/{device}/counters/jump/{octets}", async (string device, string octets, SandboxCommands sandbox, HttpContext http) =>
            long.TryParse(octets, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var jump)
                ? Answer(await sandbox.JumpCountersAsync(CallerOf(http), Decoded(device), jump, http.RequestAborted))
                : Results.Problem($"octets: '{octets}' is not a whole number from 0 to {long.MaxValue}", statusCode: StatusCodes.Status400BadRequest));
        return app;
    }

    /// <summary>The changed device or link as the mutation's payload has it, or the command's first error as a problem.</summary>
    private static IResult Answer<T>(CommandResult<T> result)
        where T : class =>
        result.Value is { } value
            ? Results.Ok(value)
            : Results.Problem(
                result.Errors[0].Message,
                statusCode: result.Errors[0].Code switch
                {
                    UserErrorCode.NotFound => StatusCodes.Status404NotFound,
                    UserErrorCode.Forbidden => StatusCodes.Status403Forbidden,
                    UserErrorCode.Conflict => StatusCodes.Status409Conflict,
                    _ => StatusCodes.Status400BadRequest,
                });

    private static AuditRecordDraft Audited(HttpContext http, Caller caller, object? result)
    {
        var route = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? http.Request.Path.Value ?? "";
        var target = string.Join(", ", http.Request.RouteValues.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => $"{v.Key}={Decoded(Convert.ToString(v.Value, System.Globalization.CultureInfo.InvariantCulture) ?? "")}"));
        var status = (result as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK;
        var outcome = status switch
        {
            < 300 => AuditRecordDraft.Ok,
            StatusCodes.Status404NotFound => "NOT_FOUND",
            StatusCodes.Status403Forbidden => "FORBIDDEN",
            StatusCodes.Status409Conflict => "CONFLICT",
            < 500 => "BAD_USER_INPUT",
            _ => "INTERNAL",
        };
        return new AuditRecordDraft(caller.Tenant, caller.Actor, $"{http.Request.Method} {route}", target, outcome);
    }

    private static bool? DownOrUp(string action) => action switch
    {
        "down" => true,
        "up" => false,
        _ => null,
    };

    private static IResult UnknownAction(string action) =>
        Results.Problem($"unknown action '{action}': use down or up", statusCode: StatusCodes.Status400BadRequest);

    private static Caller CallerOf(HttpContext http) => CallerPrincipal.RequiredCallerOf(http.User);

    /// <summary>A path segment as given: routing leaves an encoded '/' (<c>%2F</c>, in <c>region/name</c> or <c>et-0/2/0</c>) encoded.</summary>
    private static string Decoded(string segment) => Uri.UnescapeDataString(segment);
}
