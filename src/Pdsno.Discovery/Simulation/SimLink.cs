namespace Pdsno.Discovery.Simulation;

/// <summary>A point-to-point link between two interfaces, named by device and interface name.</summary>
public sealed record SimLink(string ADevice, string AInterface, string BDevice, string BInterface, long SpeedBps);
