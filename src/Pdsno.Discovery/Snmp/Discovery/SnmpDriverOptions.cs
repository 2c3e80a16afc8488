namespace Pdsno.Discovery.Snmp.Discovery;

/// <summary>Settings of the SNMP driver (configuration section <c>Discovery:Snmp</c>).</summary>
public sealed class SnmpDriverOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string Section = "Discovery:Snmp";

    /// <summary>The SNMPv2c read community; a secret, required when the driver is selected and never logged.</summary>
    public string? Community { get; set; }

    /// <summary>The UDP port of targets that name none.</summary>
    public int Port { get; set; } = SnmpTarget.DefaultPort;

    /// <summary>How long each request attempt waits for its answer, in milliseconds.</summary>
    public int TimeoutMs { get; set; } = 1000;

    /// <summary>Attempts after the first one.</summary>
    public int Retries { get; set; } = 1;

    /// <summary>Devices polled at the same time by one controller.</summary>
    public int Parallelism { get; set; } = 32;

    /// <summary>
    /// Whether each address is also probed by ICMP echo, so a device that answers ping but not SNMP is reported as
    /// unmanageable instead of absent. Needs raw sockets (root or CAP_NET_RAW); without them the runtime runs the
    /// <c>ping</c> program per probe, so turn it off there.
    /// </summary>
    public bool Icmp { get; set; } = true;

    /// <summary>How long an ICMP echo waits for its reply, in milliseconds.</summary>
    public int IcmpTimeoutMs { get; set; } = 1000;

    /// <summary>The most addresses one controller's targets may expand to; the rest is reported and not scanned.</summary>
    public int MaxAddressesPerController { get; set; } = 4096;

    /// <summary>
    /// The most rows one table walk of one device keeps (a row is one index, e.g. one interface); a walk cut here is
    /// recorded as a problem of the device. A hostile or broken agent could otherwise make a walk run without end.
    /// </summary>
    public int MaxRowsPerTable { get; set; } = 10_000;

    /// <summary>The most rows all table walks of one device keep together; a walk cut here is recorded as a problem of the device.</summary>
    public int MaxRowsPerDevice { get; set; } = 30_000;

    /// <summary>Every problem with these settings, each naming its configuration key.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Community))
        {
            problems.Add($"{Section}:Community is not set; the snmp driver needs the SNMPv2c read community (keep it in a secret store or an environment variable)");
        }

        if (Port is < 1 or > 65535)
        {
            problems.Add($"{Section}:Port is {Port}; it must be between 1 and 65535");
        }

        if (TimeoutMs is < 10 or > 60_000)
        {
            problems.Add($"{Section}:TimeoutMs is {TimeoutMs}; it must be between 10 and 60000");
        }

        if (IcmpTimeoutMs is < 10 or > 60_000)
        {
            problems.Add($"{Section}:IcmpTimeoutMs is {IcmpTimeoutMs}; it must be between 10 and 60000");
        }

        if (Retries is < 0 or > 10)
        {
            problems.Add($"{Section}:Retries is {Retries}; it must be between 0 and 10");
        }

        if (Parallelism is < 1 or > 1024)
        {
            problems.Add($"{Section}:Parallelism is {Parallelism}; it must be between 1 and 1024");
        }

        if (MaxAddressesPerController is < 1 or > 65_536)
        {
            problems.Add($"{Section}:MaxAddressesPerController is {MaxAddressesPerController}; it must be between 1 and 65536");
        }

        if (MaxRowsPerTable is < 1 or > 1_000_000)
        {
            problems.Add($"{Section}:MaxRowsPerTable is {MaxRowsPerTable}; it must be between 1 and 1000000");
        }

        if (MaxRowsPerDevice < MaxRowsPerTable || MaxRowsPerDevice > 4_000_000)
        {
            problems.Add($"{Section}:MaxRowsPerDevice is {MaxRowsPerDevice}; it must be between {Section}:MaxRowsPerTable ({MaxRowsPerTable}) and 4000000");
        }

        return problems;
    }
}
