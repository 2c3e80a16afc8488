using Orleans.Dashboard;
using Pdsno.Security;

namespace Pdsno.Silo.Hosting;

/// <summary>
/// The Orleans dashboard at <c>/dashboard/</c>. It shows the whole cluster, every tenant's grain keys and reminders,
/// so only admins of the provider tenant without a region limit may open it; its live log stream (Trace) is off
/// unless <c>Dashboard:Trace</c> is true.
/// </summary>
public static class DashboardHosting
{
    /// <summary>Configures the dashboard (the silo adds it): the live log stream only when <c>Dashboard:Trace</c> is true.</summary>
    public static WebApplicationBuilder AddPdsnoDashboard(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var trace = ParseTrace(builder.Configuration["Dashboard:Trace"]);
        builder.Services.Configure<DashboardOptions>(o => o.HideTrace = !trace);
        return builder;
    }

    /// <summary>
    /// Maps the dashboard behind the <see cref="PdsnoPolicies.ProviderAdmin"/> policy: a browser asks for a user name
    /// and password, and the password is such an admin's API token (the user name is not used). API clients may send
    /// the token as Bearer.
    /// </summary>
    public static WebApplication MapPdsnoDashboard(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapOrleansDashboard("/dashboard")
            .RequireAuthorization(PdsnoPolicies.ProviderAdmin)
            .WithBrowserLogin("PDSNO dashboard (password: an admin API token of the provider tenant)");
        return app;
    }

    private static bool ParseTrace(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        return bool.TryParse(value, out var trace)
            ? trace
            : throw new StartupException($"Dashboard:Trace '{value}' must be true or false");
    }
}
