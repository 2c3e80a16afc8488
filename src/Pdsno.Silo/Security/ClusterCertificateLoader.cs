using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;

namespace Pdsno.Silo.Security;

/// <summary>Loads the cluster's generated certificate at the very start of the silo's life, before its ports open.</summary>
internal sealed partial class ClusterCertificateLoader(ClusterCertificate certificate, NpgsqlDataSource dataSource, IOptions<ClusterOptions> cluster, ILogger<ClusterCertificateLoader> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(ClusterCertificateLoader), ServiceLifecycleStage.First, LoadAsync);

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        if (!certificate.IsConfigured)
        {
            await certificate.LoadGeneratedAsync(dataSource, cluster.Value.ClusterId, cancellationToken);
        }

        LogCertificate(logger, certificate.IsConfigured ? "configured" : "generated for the cluster and kept in the database", certificate.Thumbprint);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo and gateway connections use mutual TLS with the cluster certificate ({Source}, SHA-256 {Thumbprint})")]
    private static partial void LogCertificate(ILogger logger, string source, string thumbprint);
}
