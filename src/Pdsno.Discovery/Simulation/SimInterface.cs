namespace Pdsno.Discovery.Simulation;

/// <summary>One interface of a simulated device; <see cref="Index"/> is its ifIndex, starting at 1.</summary>
public sealed record SimInterface(int Index, string Name, string Mac, long SpeedBps);
