namespace Pdsno.Discovery.Snmp;

/// <summary>Timeouts, retries and walk limits of an <see cref="SnmpClient"/>.</summary>
public sealed class SnmpClientOptions
{
    /// <summary>How long to wait for each attempt before sending it again.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Attempts after the first; 0 sends each request once.</summary>
    public int Retries { get; set; } = 1;

    /// <summary>max-repetitions of the GetBulk requests a walk sends when the caller gives none.</summary>
    public int MaxRepetitions { get; set; } = 25;

    /// <summary>A walk that returns more varbinds than this stops with <see cref="SnmpWalkException"/>.</summary>
    public int MaxWalkVarBinds { get; set; } = 1_000_000;

    public void Validate()
    {
        if (Timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Timeout), Timeout, "Timeout must be positive");
        }

        if (Retries < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Retries), Retries, "Retries cannot be negative");
        }

        if (MaxRepetitions is < 1 or > 10_000)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRepetitions), MaxRepetitions, "MaxRepetitions must be between 1 and 10000");
        }

        if (MaxWalkVarBinds < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxWalkVarBinds), MaxWalkVarBinds, "MaxWalkVarBinds must be positive");
        }
    }
}
