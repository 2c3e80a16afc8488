using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Pdsno.Abstractions;
using Pdsno.Silo.Security;

namespace Pdsno.IntegrationTests.Infrastructure;

/// <summary>Outside Orleans clients of a silo's gateway, and the cluster certificate a test configures the silo with.</summary>
internal static class ClusterClients
{
    /// <summary>Writes a new cluster certificate as a PKCS#12 file; returns the certificate and the settings that configure a silo with it.</summary>
    public static (X509Certificate2 Certificate, Dictionary<string, string> Settings) CreateCertificate(string folder)
    {
        var certificate = ClusterCertificate.CreateSelfSigned("pdsno-test-cluster");
        var path = Path.Combine(folder, "cluster.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, "test-password"));
        return (certificate, new Dictionary<string, string>
        {
            ["Orleans:Tls:CertificatePath"] = path,
            ["Orleans:Tls:CertificatePassword"] = "test-password",
        });
    }

    /// <summary>
    /// A client of the gateway on <paramref name="gatewayPort"/>: with <paramref name="presented"/> it speaks TLS and
    /// accepts only a server presenting <paramref name="expectedServer"/>; without it, it speaks plain TCP. An outsider
    /// gives up at the first refused connection instead of retrying.
    /// </summary>
    public static IHost Create(int gatewayPort, X509Certificate2? presented, X509Certificate2 expectedServer, bool outsider = false) =>
        new HostBuilder()
            .UseOrleansClient(c =>
            {
                c.UseStaticClustering(new IPEndPoint(IPAddress.Loopback, gatewayPort))
                    .Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = ("pdsno", "pdsno"))
                    .AddMemoryStreams(PdsnoStreams.TelemetryProvider);
                if (outsider)
                {
                    c.UseConnectionRetryFilter((_, _) => Task.FromResult(false));
                }

                if (presented is not null)
                {
                    c.UseTls(presented, o => o.RemoteCertificateValidation = (remote, _, _) => remote.RawData.AsSpan().SequenceEqual(expectedServer.RawData));
                }
            })
            .Build();
}
