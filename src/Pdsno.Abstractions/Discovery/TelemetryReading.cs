using System.Collections.Immutable;

namespace Pdsno.Abstractions.Discovery;

/// <summary>One poll's counters of a device's interfaces, as they travel on the telemetry stream to the device grain.</summary>
[GenerateSerializer, Immutable, Alias("pdsno.telemetry-reading")]
public sealed record TelemetryReading(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] long? SysUpTimeHundredths,
    [property: Id(2)] ImmutableArray<InterfaceObservation> Interfaces)
{
    /// <summary>The counters an observation carries.</summary>
    public static TelemetryReading Of(DeviceObservation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        return new TelemetryReading(observation.ObservedAt, observation.SysUpTimeHundredths, observation.Interfaces.IsDefault ? [] : observation.Interfaces);
    }
}
