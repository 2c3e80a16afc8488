namespace Pdsno.Silo.Hosting;

/// <summary>Orleans cluster settings (section <c>Orleans</c>).</summary>
public sealed class OrleansSettings
{
    /// <summary>Silo-to-silo port; every silo on one machine needs its own.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Client gateway port; 0 (the default) opens no gateway. Every silo on one machine needs its own.</summary>
    public int GatewayPort { get; set; }

    /// <summary>The address other silos reach this one at.</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>Silos with the same cluster id form one cluster.</summary>
    public string ClusterId { get; set; } = "pdsno";

    /// <summary>Names the stored grain state and reminders; never change it for an existing database.</summary>
    public string ServiceId { get; set; } = "pdsno";

    /// <summary>The memory stream pull period: the floor of event delivery latency.</summary>
    public TimeSpan StreamPullPeriod { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>The cluster certificate of silo and gateway connections.</summary>
    public TlsSettings Tls { get; set; } = new();
}

/// <summary>The cluster certificate (section <c>Orleans:Tls</c>); without one, a generated one kept in the database is used.</summary>
public sealed class TlsSettings
{
    /// <summary>A PKCS#12 file (with <see cref="CertificatePassword"/>) or a PEM certificate (with <see cref="KeyPath"/>).</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PKCS#12 file's password.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>The PEM private key of a PEM certificate.</summary>
    public string? KeyPath { get; set; }
}
