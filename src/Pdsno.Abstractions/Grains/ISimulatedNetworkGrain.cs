using Pdsno.Abstractions.Security;
using Pdsno.Abstractions.Simulation;

namespace Pdsno.Abstractions.Grains;

/// <summary>Holds a tenant's simulated network definition and the faults done to it. Key: <c>tenant</c>.</summary>
[Alias("pdsno.ISimulatedNetworkGrain")]
public interface ISimulatedNetworkGrain : IGrainWithStringKey
{
    /// <summary>Adds or replaces a part (by name); the caller has validated it.</summary>
    [Alias("PutPart"), Requires(Roles.Operator)]
    Task<SimulatedNetworkDefinition> PutPartAsync(SimulatedNetworkPart part);

    /// <summary>The definition (null when <paramref name="knownDefinitionVersion"/> is current) and the current faults.</summary>
    [Alias("GetView"), Requires(Roles.Viewer)]
    Task<SimulatedNetworkView> GetViewAsync(long knownDefinitionVersion);

    /// <summary>Takes a device down or brings it back.</summary>
    [Alias("SetDeviceDown"), Requires(Roles.Operator)]
    Task<SimulatedFaults> SetDeviceDownAsync(string device, bool down);

    /// <summary>Takes a link down or brings it back; the key is <see cref="SimulatedFaults.LinkKey"/>.</summary>
    [Alias("SetLinkDown"), Requires(Roles.Operator)]
    Task<SimulatedFaults> SetLinkDownAsync(string linkKey, bool down);

    /// <summary>Makes every counter of a device jump by <paramref name="octets"/>.</summary>
    [Alias("JumpCounters"), Requires(Roles.Operator)]
    Task<SimulatedFaults> JumpCountersAsync(string device, ulong octets);
}
