namespace Pdsno.Grains.Projection;

/// <summary>The read model or event log could not be written; the caller keeps its work and retries.</summary>
public sealed class ProjectionUnavailableException(string message, Exception inner) : Exception(message, inner);
