using Pdsno.Abstractions.Config;
using Pdsno.Abstractions.Simulation;

namespace Pdsno.Grains.Simulation;

/// <summary>The durable state of one simulated device's config: small, so an apply writes little.</summary>
[GenerateSerializer, Alias("pdsno.sim-device-state")]
public sealed class SimulatedDeviceState
{
    /// <summary>The running config; null while it is the generated default.</summary>
    [Id(0)] public DeviceConfig? Running { get; set; }

    /// <summary>The running config before the last apply (what a rollback restores).</summary>
    [Id(1)] public DeviceConfig? BeforeLastApply { get; set; }

    [Id(2)] public SimulatedConfigFaults Faults { get; set; } = SimulatedConfigFaults.None;
}
