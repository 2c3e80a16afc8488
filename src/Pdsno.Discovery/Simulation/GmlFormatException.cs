namespace Pdsno.Discovery.Simulation;

/// <summary>Thrown when GML text is malformed; <see cref="Line"/> and <see cref="Column"/> point at the problem.</summary>
public sealed class GmlFormatException : FormatException
{
    public GmlFormatException()
    {
    }

    public GmlFormatException(string message)
        : base(message)
    {
    }

    public GmlFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public GmlFormatException(string problem, int line, int column)
        : base($"line {line}: {problem}")
    {
        Line = line;
        Column = column;
    }

    /// <summary>1-based line of the problem, or 0 when unknown.</summary>
    public int Line { get; }

    /// <summary>1-based column of the problem, or 0 when unknown.</summary>
    public int Column { get; }
}
