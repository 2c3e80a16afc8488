using Pdsno.Abstractions.Simulation;

namespace Pdsno.Grains.Simulation;

/// <summary>The durable state of a tenant's simulated network.</summary>
[GenerateSerializer, Alias("pdsno.sim-state")]
public sealed class SimulatedNetworkState
{
    [Id(0)] public SimulatedNetworkDefinition Definition { get; set; } = new(0, []);

    [Id(1)] public SimulatedFaults Faults { get; set; } = SimulatedFaults.None;
}
