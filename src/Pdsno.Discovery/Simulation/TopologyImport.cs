using System.Collections.Immutable;

namespace Pdsno.Discovery.Simulation;

/// <summary>The outcome of importing a topology file: the topology and what the import did with odd input.</summary>
public sealed record TopologyImport(SimulatedTopology Topology, ImportReport Report);

/// <summary>Counts of imported devices and links, and one human-readable note per node or edge that was skipped or altered.</summary>
public sealed record ImportReport(int NodesImported, int EdgesImported, ImmutableArray<string> Skipped);
