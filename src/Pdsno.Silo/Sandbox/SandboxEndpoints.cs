using Pdsno.Abstractions.Security;
using Pdsno.Security;

namespace Pdsno.Silo.Sandbox;

/// <summary>
/// Sandbox controls over HTTP for the simulated network of the caller's tenant: they need an operator token with
/// access to all regions (a token limited to regions uses the GraphQL mutations, which check each device's region).
/// </summary>
public static class SandboxEndpoints
{
    /// <summary>Maps <c>/sandbox/...</c>.</summary>
    public static WebApplication MapPdsnoSandbox(this WebApplication app)
    {
        var group = app.MapGroup("/sandbox").RequireAuthorization(PdsnoPolicies.TenantOperator).AddEndpointFilter(async (context, next) =>
        {
            var caller = CallerPrincipal.RequiredCallerOf(context.HttpContext.User);
            using var asCaller = CallerContext.Use(caller);
            try
            {
                return await next(context);
            }
            catch (KeyNotFoundException ex)
            {
                return Results.Problem(ex.Message, statusCode: StatusCodes.Status404NotFound);
            }
        });

        group.MapPost("/devices/{device}/{action}", async (string device, string action, SandboxService sandbox, HttpContext http) =>
            action switch
            {
                "down" => Results.Ok(await sandbox.SetDeviceDownAsync(TenantOf(http), device, true)),
                "up" => Results.Ok(await sandbox.SetDeviceDownAsync(TenantOf(http), device, false)),
                _ => Results.Problem($"unknown action '{action}': use down or up", statusCode: StatusCodes.Status400BadRequest),
            });
        group.MapPost("/links/{device}/{interfaceName}/{action}", async (string device, string interfaceName, string action, SandboxService sandbox, HttpContext http) =>
            action switch
            {
                "down" => Results.Ok(await sandbox.SetLinkDownAsync(TenantOf(http), device, Uri.UnescapeDataString(interfaceName), true)),
                "up" => Results.Ok(await sandbox.SetLinkDownAsync(TenantOf(http), device, Uri.UnescapeDataString(interfaceName), false)),
                _ => Results.Problem($"unknown action '{action}': use down or up", statusCode: StatusCodes.Status400BadRequest),
            });
        group.MapPost("/devices/{device}/counters/jump/{octets}", async (string device, ulong octets, SandboxService sandbox, HttpContext http) =>
            Results.Ok(await sandbox.JumpCountersAsync(TenantOf(http), device, octets)));
        return app;
    }

    private static string TenantOf(HttpContext http) => CallerPrincipal.RequiredCallerOf(http.User).Tenant;
}
