using System.Text;
using Pdsno.Abstractions.Security;

namespace Pdsno.Abstractions.Simulation;

/// <summary>Why a part may not be put into a tenant's simulated network.</summary>
public enum PartRefusalKind
{
    /// <summary>The caller's token does not reach the regions concerned.</summary>
    Forbidden,

    /// <summary>The part's name is taken by a part of another region or by a generated network.</summary>
    Conflict,

    /// <summary>A configured limit (<see cref="SimulationLimits"/>) would be exceeded.</summary>
    Limit,
}

/// <summary>A refusal to put a part, in words fit for the caller.</summary>
public sealed record PartRefusal(PartRefusalKind Kind, string Message);

/// <summary>
/// Who may put which part into a tenant's simulated network. A part belongs to the region it was imported into
/// (a generated part to the whole tenant): replacing it needs that region, and an import never moves a part to
/// another region. The grain applies these rules at its boundary; the API applies them first for a clear error.
/// </summary>
public static class SimulatedNetworkRules
{
    /// <summary>Null when <paramref name="caller"/> may put <paramref name="part"/> into <paramref name="current"/>.</summary>
    public static PartRefusal? CheckPut(SimulatedNetworkDefinition current, SimulatedNetworkPart part, Caller caller, SimulationLimits limits)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(part);
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(limits);

        // PDSNO itself puts the parts its configuration asks for at start; the settings are the operator's.
        if (caller.IsSystem)
        {
            return null;
        }

        if (part.ImportRegion is null)
        {
            if (caller.IsRegionScoped)
            {
                return new(PartRefusalKind.Forbidden, $"part '{part.Name}' is a generated network over several regions; a token limited to regions cannot put one");
            }
        }
        else if (!caller.CanSeeRegion(part.ImportRegion))
        {
            return new(PartRefusalKind.Forbidden, $"region '{part.ImportRegion}' is outside this token's regions");
        }

        var existing = current.Parts.FirstOrDefault(p => string.Equals(p.Name, part.Name, StringComparison.Ordinal));
        if (existing is not null && !string.Equals(existing.ImportRegion, part.ImportRegion, StringComparison.Ordinal))
        {
            if (existing.ImportRegion is null)
            {
                return new(PartRefusalKind.Conflict, $"'{part.Name}' names the generated network of the whole tenant; an import cannot replace it: choose another name");
            }

            return caller.CanSeeRegion(existing.ImportRegion)
                ? new(PartRefusalKind.Conflict, $"part '{part.Name}' belongs to region '{existing.ImportRegion}'; import it there to replace it, or choose another name")
                : new(PartRefusalKind.Conflict, $"the name '{part.Name}' is taken by a part outside this token's regions; choose another name");
        }

        if (existing is null && current.Parts.Length + 1 > limits.MaxPartsPerTenant)
        {
            return new(PartRefusalKind.Limit, $"the simulated network already has {current.Parts.Length} parts; {SimulationLimits.Section}:MaxPartsPerTenant is {limits.MaxPartsPerTenant}");
        }

        if (part.GmlText is not null)
        {
            var bytes = GmlBytes(part);
            foreach (var other in current.Parts)
            {
                if (!ReferenceEquals(other, existing))
                {
                    bytes += GmlBytes(other);
                }
            }

            if (bytes > limits.MaxGmlBytesPerTenant)
            {
                return new(PartRefusalKind.Limit, $"the imports would hold {bytes} bytes of GML; {SimulationLimits.Section}:MaxGmlBytesPerTenant is {limits.MaxGmlBytesPerTenant}");
            }
        }

        return null;
    }

    private static long GmlBytes(SimulatedNetworkPart part) => part.GmlText is null ? 0 : Encoding.UTF8.GetByteCount(part.GmlText);
}
