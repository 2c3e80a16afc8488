using Pdsno.GraphQL.Hosting;
using Pdsno.Silo.Analytics;
using Pdsno.Silo.Audit;
using Pdsno.Security.Hosting;
using Pdsno.Silo.Health;
using Pdsno.Silo.OperatorConsole;
using Pdsno.Silo.Hosting;
using Pdsno.Silo.Sandbox;
using Pdsno.Silo.Security;
using Pdsno.Webhooks.Hosting;

try
{
    if (args.Length > 0 && args[0] == "token")
    {
        return await TokenCommand.RunAsync(args[1..]);
    }

    if (args.Length > 0 && args[0] == "audit")
    {
        return await AuditCommand.RunAsync(args[1..]);
    }

    if (args.Length > 0 && args[0] == "migrate")
    {
        return await MigrateCommand.RunAsync(args[1..]);
    }

    var builder = WebApplication.CreateBuilder(args);
    builder.AddPdsnoStorage();
    builder.AddPdsnoOrleans();
    builder.AddPdsnoDashboard();
    builder.AddPdsnoDiscovery();
    builder.AddPdsnoChangeRecovery();
    builder.AddPdsnoHealth();
    builder.AddPdsnoMetrics();
    builder.Services.AddPdsnoSecurity();
    builder.Services.AddPdsnoGraphQL(builder.Configuration);
    builder.AddPdsnoWebhooks();
    builder.AddPdsnoAnalytics();

    var app = builder.Build();
    app.ValidatePdsnoSettings();
    await app.MigratePdsnoSchemaAsync();
    var adminTokenFile = await app.EnsureAdminTokenAsync();
    app.UsePdsnoSecurity();
    app.MapPdsnoHealth();
    app.MapPdsnoMetrics();
    app.MapPdsnoGraphQL();
    app.MapPdsnoDashboard();
    app.MapPdsnoSandbox();
    app.MapPdsnoStatus();
    app.MapPdsnoConsole();
    app.Lifetime.ApplicationStarted.Register(() =>
    {
        var url = app.Urls.FirstOrDefault() ?? "http://localhost:5000";
        Console.WriteLine($"PDSNO is running. Console: {url}/  GraphQL API and IDE: {url}/graphql  Dashboard: {url}/dashboard/  Status: {url}/status  Metrics: {url}/metrics  Health: {url}/health/ready");
        if (adminTokenFile is not null)
        {
            Console.WriteLine($"First start: an admin API token was created and saved in {adminTokenFile} (readable by this user only).");
            Console.WriteLine($"Send it as 'Authorization: Bearer <token>'; for the dashboard, give it as the password.");
        }
    });
    await app.RunAsync();
    return 0;
}
catch (StartupException ex)
{
    Console.Error.WriteLine($"pdsno: cannot start: {ex.Message}");
    return 2;
}
catch (Microsoft.Extensions.Options.OptionsValidationException ex)
{
    Console.Error.WriteLine($"pdsno: cannot start: {string.Join("; ", ex.Failures)}");
    return 2;
}
catch (IOException ex) when (ex.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
{
    Console.Error.WriteLine($"pdsno: cannot start: the HTTP address given with --urls is in use ({ex.Message})");
    return 2;
}

/// <summary>The host's entry point, public so end-to-end tests can start it in-process.</summary>
public partial class Program;
