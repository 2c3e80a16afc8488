using GraphQL.Types;

namespace Pdsno.GraphQL.Enums;

/// <summary>Operational or administrative state of an interface.</summary>
public sealed class InterfaceStatusGraphType : EnumerationGraphType
{
    /// <summary>Declares UP, DOWN and UNKNOWN.</summary>
    public InterfaceStatusGraphType()
    {
        Name = "InterfaceStatus";
        Add("UP", "UP");
        Add("DOWN", "DOWN");
        Add("UNKNOWN", "UNKNOWN", "The device did not say.");
    }
}
