namespace Pdsno.Grains.Devices;

/// <summary>When an interface's utilization becomes a topology event (configuration section <c>Telemetry</c>).</summary>
public sealed class TelemetryOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string Section = "Telemetry";

    /// <summary>Utilization (max of in and out, % of speed) at or above which an interface is high.</summary>
    public double ThresholdPercent { get; set; } = 80;

    /// <summary>How far below the threshold a high interface must fall to be normal again, so it does not flap.</summary>
    public double HysteresisPercent { get; set; } = 5;

    /// <summary>Whether the threshold is in (0, 100] and the hysteresis in [0, threshold).</summary>
    public bool IsValid => ThresholdPercent is > 0 and <= 100 && HysteresisPercent >= 0 && HysteresisPercent < ThresholdPercent;
}
