namespace Pdsno.Abstractions;

/// <summary>Stream provider and namespace names, shared by producers and consumers.</summary>
public static class PdsnoStreams
{
    /// <summary>The stream provider every PDSNO stream uses.</summary>
    public const string Provider = "pdsno";

    /// <summary>Discovery observations, one stream per region (key <c>tenant/region</c>).</summary>
    public const string Discovery = "discovery";

    /// <summary>Topology events, one stream per tenant (key <c>tenant</c>), each carrying its durable sequence.</summary>
    public const string Topology = "topology";

    /// <summary>
    /// The provider of the telemetry stream. It is its own provider so that it can be implicit-only: a stream per
    /// device registered with the durable pub-sub store would cost a database write per device.
    /// </summary>
    public const string TelemetryProvider = "pdsno-telemetry";

    /// <summary>Counter readings, one stream per device (key <c>tenant/device</c>), consumed by the device grain.</summary>
    public const string Telemetry = "telemetry";

    /// <summary>The grain storage name for durable grain state.</summary>
    public const string Storage = "pdsno";
}
