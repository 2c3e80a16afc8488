using Pdsno.GraphQL.Hosting;
using Pdsno.Silo.Health;
using Pdsno.Silo.Hosting;
using Pdsno.Silo.Sandbox;

try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddPdsnoStorage();
    builder.AddPdsnoOrleans();
    builder.AddPdsnoDiscovery();
    builder.AddPdsnoHealth();
    builder.Services.AddPdsnoGraphQL(builder.Configuration);

    var app = builder.Build();
    await app.MigratePdsnoSchemaAsync();
    app.MapPdsnoHealth();
    app.MapPdsnoGraphQL();
    app.MapPdsnoDashboard();
    app.MapPdsnoSandbox();
    app.MapPdsnoStatus();
    app.Lifetime.ApplicationStarted.Register(() =>
    {
        var url = app.Urls.FirstOrDefault() ?? "http://localhost:5000";
        Console.WriteLine($"PDSNO is running. GraphQL API and IDE: {url}/graphql  Dashboard: {url}/dashboard/  Status: {url}/status  Health: {url}/health/ready");
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
