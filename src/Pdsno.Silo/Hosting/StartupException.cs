namespace Pdsno.Silo.Hosting;

/// <summary>A start-up problem the operator must fix; its message names the setting and is all that is printed.</summary>
public sealed class StartupException(string message, Exception? inner = null) : Exception(message, inner);
