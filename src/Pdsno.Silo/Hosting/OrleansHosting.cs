using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Runtime.Hosting;
using Orleans.Storage;
using Orleans.Streams;
using Pdsno.Abstractions;
using Pdsno.Grains.Hosting;
using Pdsno.Grains.Security;
using Pdsno.Security;
using Pdsno.Silo.Security;
using Pdsno.Storage.GrainState;

namespace Pdsno.Silo.Hosting;

/// <summary>The Orleans silo: ADO.NET clustering, storage and reminders on PostgreSQL, memory streams, dashboard.</summary>
public static class OrleansHosting
{
    private const string Invariant = "Npgsql";
    private const string EarlierStorage = "PdsnoAdoNetStorage";

    /// <summary>Configures the silo from the <c>Orleans</c> section and the PDSNO connection string.</summary>
    public static WebApplicationBuilder AddPdsnoOrleans(this WebApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.PdsnoConnectionString();
        var settings = builder.Configuration.GetSection("Orleans").Get<OrleansSettings>() ?? new OrleansSettings();
        Validate(settings);
        var certificate = ClusterCertificate.FromSettings(settings.Tls);
        builder.Services.AddSingleton(certificate);

        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = settings.ClusterId;
                o.ServiceId = settings.ServiceId;
            });
            // Gateway port 0 opens no gateway: the host's own GraphQL and dashboard use the silo's in-process client.
            silo.ConfigureEndpoints(IPAddress.Parse(settings.AdvertisedAddress), settings.SiloPort, settings.GatewayPort);
            // Whoever reaches the silo or gateway port must hold the cluster certificate: a call that arrives there can
            // name any grain of any tenant and publish on any stream.
            silo.UseTls(certificate.Apply);
            silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, ClusterCertificateLoader>();
            silo.UseAdoNetClustering(o =>
            {
                o.Invariant = Invariant;
                o.ConnectionString = connectionString;
            });
            // Grain state commits with its projection (one transaction per batch of grains); state from before that
            // storage existed is still read through the ADO.NET storage it was written with.
            silo.Services.AddGrainStorage(PdsnoStreams.Storage, (sp, _) => PostgresGrainStorage.Create(sp, settings.ServiceId, EarlierStorage));
            silo.AddAdoNetGrainStorage(EarlierStorage, o =>
            {
                o.Invariant = Invariant;
                o.ConnectionString = connectionString;
            });
            silo.AddAdoNetGrainStorage("PubSubStore", o =>
            {
                o.Invariant = Invariant;
                o.ConnectionString = connectionString;
            });
            silo.UseAdoNetReminderService(o =>
            {
                o.Invariant = Invariant;
                o.ConnectionString = connectionString;
            });
            silo.AddMemoryStreams(PdsnoStreams.Provider, b =>
            {
                b.ConfigurePartitioning(8);
                b.ConfigurePullingAgent(o => o.Configure(p => p.GetQueueMsgsTimerPeriod = settings.StreamPullPeriod));
            });
            // Telemetry arrives once a cycle per device and nobody waits on it by the millisecond: its queues are polled
            // less often, leaving the CPU to the event stream, whose latency subscribers do see. (The queue count is
            // part of the wire contract with producers outside the silo, so it stays the default.)
            silo.AddMemoryStreams(PdsnoStreams.TelemetryProvider, b =>
            {
                b.ConfigurePartitioning(8);
                b.ConfigurePullingAgent(o => o.Configure(p => p.GetQueueMsgsTimerPeriod = TelemetryPullPeriod(settings.StreamPullPeriod)));
                b.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
            });
            silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
            // A dead silo is declared dead in seconds, not the default minute, so its grains move quickly.
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
                o.NumVotesForDeathDeclaration = 1;
                o.TableRefreshTimeout = TimeSpan.FromSeconds(5);
                o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(10);
                o.DeathVoteExpirationTimeout = TimeSpan.FromSeconds(30);
            });
            silo.AddDashboard();
            silo.AddIncomingGrainCallFilter<CallerAuthorizationFilter>();
        });
        builder.Services.AddPdsnoGrains();
        // One binding of Security:ProviderTenant (validated there) serves the grains as well.
        builder.Services.AddOptions<TenancyOptions>().Configure<IOptions<SecurityOptions>>((tenancy, security) => tenancy.ProviderTenant = security.Value.ProviderTenant);

        // State from before grain_state was written with the Orleans serializer, as grain_state is: compact, and tolerant
        // of added fields by [Id].
        builder.Services.AddOptions<AdoNetGrainStorageOptions>(EarlierStorage)
            .Configure<IServiceProvider>((o, sp) => o.GrainStorageSerializer = new OrleansGrainStorageSerializer(sp.GetRequiredService<Orleans.Serialization.Serializer>()));
        return builder;
    }

    private static TimeSpan TelemetryPullPeriod(TimeSpan eventPullPeriod) =>
        eventPullPeriod > TimeSpan.FromMilliseconds(100) ? eventPullPeriod : TimeSpan.FromMilliseconds(100);

    private static void Validate(OrleansSettings settings)
    {
        if (!IPAddress.TryParse(settings.AdvertisedAddress, out var address))
        {
            throw new StartupException($"Orleans:AdvertisedAddress '{settings.AdvertisedAddress}' is not an IP address");
        }

        CheckPort("Orleans:SiloPort", settings.SiloPort, address);
        if (settings.GatewayPort != 0)
        {
            CheckPort("Orleans:GatewayPort", settings.GatewayPort, address);
        }

        if (settings.SiloPort == settings.GatewayPort)
        {
            throw new StartupException($"Orleans:SiloPort and Orleans:GatewayPort are both {settings.SiloPort}; they must differ");
        }

        if (settings.StreamPullPeriod <= TimeSpan.Zero || settings.StreamPullPeriod > TimeSpan.FromSeconds(10))
        {
            throw new StartupException($"Orleans:StreamPullPeriod {settings.StreamPullPeriod} must be between 0 and 10 seconds");
        }
    }

    private static void CheckPort(string key, int port, IPAddress address)
    {
        if (port is < 1 or > 65535)
        {
            throw new StartupException(key == "Orleans:GatewayPort" ? $"{key} is {port}; a port is between 1 and 65535, or 0 for no gateway" : $"{key} is {port}; a port is between 1 and 65535");
        }

        try
        {
            using var probe = new TcpListener(address, port);
            probe.Start();
            probe.Stop();
        }
        catch (SocketException ex)
        {
            throw new StartupException($"{key} {port} on {address} is not available ({ex.SocketErrorCode}); another process uses it, or give each silo its own port", ex);
        }
    }
}
