using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Pdsno.IntegrationTests.Infrastructure;

namespace Pdsno.IntegrationTests.Security;

/// <summary>Silo and gateway ports admit only the holders of the cluster certificate; the gateway is closed unless configured.</summary>
[Collection(PostgresGroup.Name)]
public sealed class ClusterTlsTests(PostgresFixture postgres)
{
    [Fact]
    public async Task The_silo_port_presents_the_generated_cluster_certificate_and_refuses_a_peer_without_it()
    {
        var db = await postgres.CreateDatabaseAsync();
        await using var silo = SiloProcess.Start(db, new Dictionary<string, string> { ["Simulation:Devices"] = "2", ["Simulation:Regions"] = "1" });
        await silo.WaitReadyAsync();
        var q = new ReadModelQueries(db);

        // No gateway was configured: the silo advertises none.
        Assert.Equal(1, await q.ScalarAsync("SELECT count(*) FROM orleansmembershiptable WHERE proxyport = 0"));

        var stored = Convert.FromBase64String((await q.TextAsync("SELECT encode(key_bytes, 'base64') FROM security_keys WHERE name = 'orleans-tls/pdsno'"))!.Replace("\n", "", StringComparison.Ordinal));
        using var cluster = X509CertificateLoader.LoadPkcs12(stored, null);
        X509Certificate2? presented = null;
        var refused = false;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", silo.SiloPort);
        await using var tls = new SslStream(tcp.GetStream(), false, (_, certificate, _, _) =>
        {
            presented = certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            return presented is not null && presented.RawData.AsSpan().SequenceEqual(cluster.RawData);
        });
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            // A peer without a client certificate: TLS 1.3 may finish the client's side of the handshake and refuse after.
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "silo" }, guard.Token);
            refused = await tls.ReadAsync(new byte[1], guard.Token) == 0;
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            refused = true;
        }

        Assert.NotNull(presented);
        Assert.Equal(cluster.RawData, presented.RawData);
        Assert.True(refused, "a peer without the cluster certificate was admitted");
    }

    [Fact]
    public async Task Only_a_client_with_the_cluster_certificate_connects_to_the_gateway()
    {
        var db = await postgres.CreateDatabaseAsync();
        var folder = Directory.CreateTempSubdirectory("pdsno-gateway-");
        var (certificate, tls) = ClusterClients.CreateCertificate(folder.FullName);
        var gateway = SiloProcess.FreePort();
        await using var silo = SiloProcess.Start(db, new Dictionary<string, string>(tls)
        {
            ["Orleans:GatewayPort"] = gateway.ToString(),
            ["Simulation:Devices"] = "2",
            ["Simulation:Regions"] = "1",
        });
        await silo.WaitReadyAsync();

        using var stranger = ClusterCertificateOfAnotherCluster();
        foreach (var (presented, what) in new[] { ((X509Certificate2?)null, "plain TCP"), (stranger, "another certificate") })
        {
            using var outsider = ClusterClients.Create(gateway, presented, certificate, outsider: true);
            using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var failure = await Record.ExceptionAsync(() => outsider.StartAsync(guard.Token));
            // Refused, not merely slow: the client gives up at the first refusal, and a silent hang would end in cancellation.
            Assert.True(failure is not null and not OperationCanceledException, $"a client with {what} was not refused: {failure}");
        }

        using var member = ClusterClients.Create(gateway, certificate, certificate);
        await member.StartAsync();
        await member.StopAsync();
        folder.Delete(recursive: true);
    }

    private static X509Certificate2 ClusterCertificateOfAnotherCluster() => Pdsno.Silo.Security.ClusterCertificate.CreateSelfSigned("pdsno-test-cluster");
}
