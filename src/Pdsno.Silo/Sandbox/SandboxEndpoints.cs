using System.Net;
using Pdsno.Silo.Hosting;

namespace Pdsno.Silo.Sandbox;

/// <summary>
/// Sandbox controls over HTTP for the simulated network. Until API tokens exist they answer only callers on
/// this machine's loopback, so nothing outside the host can change even the simulated network.
/// </summary>
public static class SandboxEndpoints
{
    /// <summary>Maps <c>/sandbox/...</c>.</summary>
    public static WebApplication MapPdsnoSandbox(this WebApplication app)
    {
        var group = app.MapGroup("/sandbox").AddEndpointFilter(async (context, next) =>
        {
            var remote = context.HttpContext.Connection.RemoteIpAddress;
            if (remote is null || !IPAddress.IsLoopback(remote))
            {
                return Results.Problem("sandbox controls answer only on loopback", statusCode: StatusCodes.Status403Forbidden);
            }

            try
            {
                return await next(context);
            }
            catch (KeyNotFoundException ex)
            {
                return Results.Problem(ex.Message, statusCode: StatusCodes.Status404NotFound);
            }
        });

        group.MapPost("/devices/{device}/{action}", async (string device, string action, SandboxService sandbox, SimulationSettings sim) =>
            action switch
            {
                "down" => Results.Ok(await sandbox.SetDeviceDownAsync(sim.Tenant, device, true)),
                "up" => Results.Ok(await sandbox.SetDeviceDownAsync(sim.Tenant, device, false)),
                _ => Results.Problem($"unknown action '{action}': use down or up", statusCode: StatusCodes.Status400BadRequest),
            });
        group.MapPost("/links/{device}/{interfaceName}/{action}", async (string device, string interfaceName, string action, SandboxService sandbox, SimulationSettings sim) =>
            action switch
            {
                "down" => Results.Ok(await sandbox.SetLinkDownAsync(sim.Tenant, device, Uri.UnescapeDataString(interfaceName), true)),
                "up" => Results.Ok(await sandbox.SetLinkDownAsync(sim.Tenant, device, Uri.UnescapeDataString(interfaceName), false)),
                _ => Results.Problem($"unknown action '{action}': use down or up", statusCode: StatusCodes.Status400BadRequest),
            });
        group.MapPost("/devices/{device}/counters/jump/{octets}", async (string device, ulong octets, SandboxService sandbox, SimulationSettings sim) =>
            Results.Ok(await sandbox.JumpCountersAsync(sim.Tenant, device, octets)));
        return app;
    }
}
