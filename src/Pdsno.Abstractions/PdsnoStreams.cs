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

    /// <summary>The grain storage name for durable grain state.</summary>
    public const string Storage = "pdsno";
}
