using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Npgsql;
using Orleans.Connections.Security;
using Pdsno.Silo.Hosting;
using Pdsno.Storage.Security;

namespace Pdsno.Silo.Security;

/// <summary>
/// The one certificate silo-to-silo and gateway connections authenticate with, in both directions: every silo presents
/// it, and a peer is accepted only when it presents the same certificate (pinned by its SHA-256 hash, not by a chain a
/// public CA could also complete). Configured (<c>Orleans:Tls:*</c>) or, when not, generated once per cluster and kept
/// in the database, where every silo of the cluster finds the same one.
/// </summary>
public sealed class ClusterCertificate
{
    private const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";
    private X509Certificate2? _certificate;
    private byte[]? _pin;

    private ClusterCertificate(X509Certificate2? configured)
    {
        if (configured is not null)
        {
            Use(configured);
        }
    }

    /// <summary>True when the certificate comes from configuration rather than the database.</summary>
    public bool IsConfigured { get; private set; }

    /// <summary>The certificate, once loaded (before the silo opens its ports).</summary>
    public X509Certificate2 Current => _certificate ?? throw new InvalidOperationException("the cluster certificate is not loaded yet");

    /// <summary>Reads the configured certificate, if any; a setting that does not yield a usable one stops the start naming the key.</summary>
    public static ClusterCertificate FromSettings(TlsSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (string.IsNullOrWhiteSpace(settings.CertificatePath))
        {
            if (!string.IsNullOrWhiteSpace(settings.KeyPath))
            {
                throw new StartupException("Orleans:Tls:KeyPath is set without Orleans:Tls:CertificatePath");
            }

            return new ClusterCertificate(null);
        }

        if (!File.Exists(settings.CertificatePath))
        {
            throw new StartupException($"Orleans:Tls:CertificatePath '{settings.CertificatePath}' does not exist");
        }

        if (!string.IsNullOrWhiteSpace(settings.KeyPath) && !File.Exists(settings.KeyPath))
        {
            throw new StartupException($"Orleans:Tls:KeyPath '{settings.KeyPath}' does not exist");
        }

        X509Certificate2 certificate;
        try
        {
            certificate = string.IsNullOrWhiteSpace(settings.KeyPath)
                ? X509CertificateLoader.LoadPkcs12FromFile(settings.CertificatePath, settings.CertificatePassword)
                : Reloaded(X509Certificate2.CreateFromPemFile(settings.CertificatePath, settings.KeyPath));
        }
        catch (CryptographicException ex)
        {
            throw new StartupException($"Orleans:Tls:CertificatePath '{settings.CertificatePath}' cannot be read as a certificate with its private key (a PKCS#12 file with Orleans:Tls:CertificatePassword, or PEM with Orleans:Tls:KeyPath): {ex.Message}", ex);
        }

        if (!certificate.HasPrivateKey)
        {
            throw new StartupException($"Orleans:Tls:CertificatePath '{settings.CertificatePath}' holds no private key");
        }

        if (!AllowsBothDirections(certificate))
        {
            throw new StartupException($"Orleans:Tls:CertificatePath '{settings.CertificatePath}': the certificate's extended key usage must allow both server and client authentication");
        }

        return new ClusterCertificate(certificate) { IsConfigured = true };
    }

    /// <summary>A self-signed certificate for server and client authentication, as generated for a cluster without one.</summary>
    public static X509Certificate2 CreateSelfSigned(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName("CN=" + subject), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ServerAuthentication), new Oid(ClientAuthentication)], false));
        var now = DateTimeOffset.UtcNow;
        using var created = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(20));
        return Reloaded(created);
    }

    /// <summary>Loads the cluster's generated certificate from the database, generating it when this is the first silo.</summary>
    public async Task LoadGeneratedAsync(NpgsqlDataSource dataSource, string clusterId, CancellationToken cancellationToken)
    {
        var pkcs12 = await SecurityKeys.GetOrCreateAsync(dataSource, "orleans-tls/" + clusterId, () =>
        {
            using var created = CreateSelfSigned("pdsno-cluster-" + clusterId);
            return created.Export(X509ContentType.Pkcs12);
        }, cancellationToken);
        Use(X509CertificateLoader.LoadPkcs12(pkcs12, null));
    }

    /// <summary>True when <paramref name="remote"/> is the cluster certificate.</summary>
    public bool Accepts(X509Certificate2 remote)
    {
        ArgumentNullException.ThrowIfNull(remote);
        return _pin is { } pin && CryptographicOperations.FixedTimeEquals(SHA256.HashData(remote.RawData), pin);
    }

    /// <summary>Mutual authentication with the cluster certificate, for the silo's and a client's connections alike.</summary>
    public void Apply(TlsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        // Selectors, not a fixed certificate: a generated certificate is read from the database when the silo starts,
        // after the connection options are built and before any port opens.
        options.LocalServerCertificateSelector = (_, _) => Current;
        options.LocalClientCertificateSelector = (_, _, _, _, _) => Current;
        options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        // The peer's chain and name do not matter (a generated certificate has neither): only that it is ours.
        options.RemoteCertificateValidation = (remote, _, _) => Accepts(remote);
    }

    /// <summary>The certificate's SHA-256 hash, for logs and operators.</summary>
    public string Thumbprint => Convert.ToHexStringLower(SHA256.HashData(Current.RawData));

    private void Use(X509Certificate2 certificate)
    {
        _pin = SHA256.HashData(certificate.RawData);
        _certificate = certificate;
    }

    private static bool AllowsBothDirections(X509Certificate2 certificate)
    {
        var usage = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
        if (usage is null)
        {
            return true;
        }

        var oids = usage.EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value).ToHashSet(StringComparer.Ordinal);
        return oids.Contains(ServerAuthentication) && oids.Contains(ClientAuthentication);
    }

    // A key made in memory is re-imported through PKCS#12 so that TLS can use it on every platform.
    private static X509Certificate2 Reloaded(X509Certificate2 certificate) => X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
}
