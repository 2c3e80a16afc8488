using Microsoft.Extensions.DependencyInjection;
using Orleans.Streams;
using Orleans.TestingHost;
using Pdsno.Abstractions;
using Pdsno.Abstractions.Config;
using Pdsno.Abstractions.Discovery;
using Pdsno.Abstractions.Security;
using Pdsno.Discovery.Drivers;
using Pdsno.Grains.Changes;
using Pdsno.Grains.Hosting;
using Pdsno.Grains.Projection;
using Pdsno.Grains.Security;

namespace Pdsno.GrainTests.Infrastructure;

/// <summary>
/// One in-process silo for the whole collection, with the grains' contracts on memory instead of PostgreSQL, memory
/// streams and reminders as in the host, and the caller check at the grain boundary. Tests use fresh tenants, so they
/// share the cluster without seeing each other.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    /// <summary>How long a test waits for something the cluster does in the background before it gives up.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private InProcessTestCluster? _cluster;

    /// <summary>The event log and read model the grains write.</summary>
    public InMemoryProjectionWriter Projection { get; } = new();

    /// <summary>The token store behind the token grains.</summary>
    public InMemoryTokenStore Tokens { get; } = new();

    /// <summary>The audit trail the grains and the caller check write.</summary>
    public InMemoryAuditTrail Audit { get; } = new();

    /// <summary>The live topology change proposals are judged on.</summary>
    public InMemoryChangeTopology Topology { get; } = new();

    /// <summary>The clock of the grains; a test may move it forward (and must move it back).</summary>
    public TestClock Clock { get; } = new();

    /// <summary>A client outside the silo, as the API is: its calls pass the caller check.</summary>
    public IClusterClient Client => _cluster?.Client ?? throw new InvalidOperationException("the cluster is not started");

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage(PdsnoStreams.Storage);
            silo.AddMemoryGrainStorage("PubSubStore");
            silo.AddMemoryStreams(PdsnoStreams.Provider);
            silo.AddMemoryStreams(PdsnoStreams.TelemetryProvider, b => b.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly));
            silo.UseInMemoryReminderService();
            silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
            silo.AddIncomingGrainCallFilter<CallerAuthorizationFilter>();
            silo.Services.AddSingleton<IProjectionWriter>(Projection);
            silo.Services.AddSingleton<IApiTokenStore>(Tokens);
            silo.Services.AddSingleton<IAuditTrail>(Audit);
            silo.Services.AddSingleton<ITokenKeyring, FixedTokenKeyring>();
            silo.Services.AddSingleton<TimeProvider>(Clock);
            silo.Services.AddSingleton<IChangeTopology>(Topology);
            silo.Services.AddPdsnoGrains();
            silo.Services.AddSingleton<IDeviceDriverRegistry, QuietDriverRegistry>();
            silo.Services.AddSingleton<IConfigDriver, SimulatedConfigDriver>();
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}

/// <summary>The collection whose tests share one <see cref="ClusterFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class ClusterGroup : ICollectionFixture<ClusterFixture>
{
    /// <summary>The collection name.</summary>
    public const string Name = "cluster";
}
