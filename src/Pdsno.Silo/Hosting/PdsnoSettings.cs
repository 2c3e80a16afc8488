namespace Pdsno.Silo.Hosting;

/// <summary>Orleans cluster settings (section <c>Orleans</c>).</summary>
public sealed class OrleansSettings
{
    /// <summary>Silo-to-silo port; every silo on one machine needs its own.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Client gateway port; every silo on one machine needs its own.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The address other silos reach this one at.</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>Silos with the same cluster id form one cluster.</summary>
    public string ClusterId { get; set; } = "pdsno";

    /// <summary>Names the stored grain state and reminders; never change it for an existing database.</summary>
    public string ServiceId { get; set; } = "pdsno";

    /// <summary>The memory stream pull period: the floor of event delivery latency.</summary>
    public TimeSpan StreamPullPeriod { get; set; } = TimeSpan.FromMilliseconds(10);
}
