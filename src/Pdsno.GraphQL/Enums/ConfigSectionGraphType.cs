using GraphQL.Types;
using Pdsno.Abstractions.Config;

namespace Pdsno.GraphQL.Enums;

/// <summary>The parts of a config a driver reads.</summary>
public sealed class ConfigSectionGraphType : EnumerationGraphType
{
    /// <summary>Declares SYSTEM, SERVICES, INTERFACES and ROUTES.</summary>
    public ConfigSectionGraphType()
    {
        Name = "ConfigSection";
        Add("SYSTEM", ConfigSections.System, "Hostname, location, contact.");
        Add("SERVICES", ConfigSections.Services, "NTP and DNS servers.");
        Add("INTERFACES", ConfigSections.Interfaces, "Interface admin state, description and MTU.");
        Add("ROUTES", ConfigSections.Routes, "Static routes.");
    }
}
