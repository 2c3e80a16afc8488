using GraphQL;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Pdsno.GraphQL;
using Pdsno.GraphQL.Transport;
using Pdsno.Storage.ReadModel;

namespace Pdsno.EndToEndTests.Transport;

/// <summary>A real Kestrel server on a loopback port serving the test schema through the PDSNO transport.</summary>
public sealed class TransportHost : IAsyncLifetime
{
    /// <summary>Settings of the shared host: small limits so the tests can reach them quickly.</summary>
    public static readonly IReadOnlyDictionary<string, string?> DefaultSettings = new Dictionary<string, string?>
    {
        ["GraphQL:Transport:ConnectionInitTimeout"] = "00:00:02",
        ["GraphQL:Transport:OutboundBufferLimit"] = "8",
        ["GraphQL:Transport:MaxOperationsPerConnection"] = "3",
    };

    private readonly IReadOnlyDictionary<string, string?> _settings;
    private WebApplication? _app;

    public TransportHost()
        : this(DefaultSettings)
    {
    }

    internal TransportHost(IReadOnlyDictionary<string, string?> settings)
    {
        _settings = settings;
    }

    public EventFeed Feed { get; } = new();

    public Uri GraphQLUri { get; private set; } = null!;

    public Uri WebSocketUri { get; private set; } = null!;

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(_settings);
        builder.Services.AddSingleton(Feed);
        builder.Services.AddSingleton<IPdsnoUserContextFactory, TestUserContextFactory>();
        // The batch loaders need a reader; the test schema never lets them read, so the data source never connects.
        builder.Services.AddSingleton(NpgsqlDataSource.Create("Host=127.0.0.1;Port=9"));
        builder.Services.AddSingleton<SqlStatementCounter>();
        builder.Services.AddSingleton<TopologyReader>();
        builder.Services.AddGraphQL(b => b.AddSchema<TestSchema>().AddSystemTextJson());
        builder.Services.AddPdsnoGraphQLTransport(builder.Configuration);

        _app = builder.Build();
        _app.MapPdsnoGraphQLTransport();
        await _app.StartAsync();

        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        GraphQLUri = new Uri(new Uri(address), "/graphql");
        WebSocketUri = new UriBuilder(GraphQLUri) { Scheme = "ws" }.Uri;
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}

/// <summary>The transport tests share one host and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class TransportTests : ICollectionFixture<TransportHost>
{
    public const string Name = "Transport";
}
