using Npgsql;
using Pdsno.Security;

namespace Pdsno.Silo.Hosting;

/// <summary>A plain summary of what discovery has found in the caller's tenant; it needs a viewer token for all regions.</summary>
public static class StatusEndpoints
{
    /// <summary>Maps <c>/status</c>.</summary>
    public static WebApplication MapPdsnoStatus(this WebApplication app)
    {
        app.MapGet("/status", async (HttpContext context, NpgsqlDataSource db) =>
        {
            var caller = CallerPrincipal.RequiredCallerOf(context.User);
            await using var cmd = db.CreateCommand(
                """
                SELECT (SELECT count(*) FROM regions WHERE tenant = $1),
                       (SELECT count(*) FROM devices WHERE tenant = $1),
                       (SELECT count(*) FROM devices WHERE tenant = $1 AND status = 'ACTIVE'),
                       (SELECT count(*) FROM devices WHERE tenant = $1 AND status = 'UNREACHABLE'),
                       (SELECT count(*) FROM devices WHERE tenant = $1 AND status = 'INACTIVE'),
                       (SELECT count(*) FROM interfaces WHERE tenant = $1),
                       (SELECT count(*) FROM links WHERE tenant = $1),
                       (SELECT count(*) FROM links WHERE tenant = $1 AND status = 'UP'),
                       (SELECT coalesce(max(seq), 0) FROM events WHERE tenant = $1)
                """);
            cmd.Parameters.Add(new NpgsqlParameter { Value = caller.Tenant });
            await using var reader = await cmd.ExecuteReaderAsync();
            await reader.ReadAsync();
            return Results.Ok(new
            {
                tenant = caller.Tenant,
                regions = reader.GetInt64(0),
                devices = new { total = reader.GetInt64(1), active = reader.GetInt64(2), unreachable = reader.GetInt64(3), inactive = reader.GetInt64(4) },
                interfaces = reader.GetInt64(5),
                links = new { total = reader.GetInt64(6), up = reader.GetInt64(7) },
                lastEventSequence = reader.GetInt64(8),
            });
        }).RequireAuthorization(PdsnoPolicies.TenantViewer);
        return app;
    }
}
