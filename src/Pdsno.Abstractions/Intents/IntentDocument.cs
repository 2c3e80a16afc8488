using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pdsno.Abstractions.Intents;

/// <summary>The JSON form of an intent as the read model keeps it, and the one shape a spec is stored in.</summary>
public static class IntentDocument
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The intent as JSON.</summary>
    public static string Serialize(IntentView intent) => JsonSerializer.Serialize(intent, Options);

    /// <summary>Parses <see cref="Serialize(IntentView)"/> output.</summary>
    public static IntentView Deserialize(string json) =>
        JsonSerializer.Deserialize<IntentView>(json, Options) ?? throw new FormatException("empty intent document");

    /// <summary>The spec with every list given (empty rather than absent), as it is stored.</summary>
    public static IntentSpec Normalize(IntentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        static ImmutableArray<string> Of(ImmutableArray<string> a) => a.IsDefault ? [] : a;
        return spec with
        {
            Connectivity = spec.Connectivity is { } c
                ? c with { AvoidDevices = Of(c.AvoidDevices), AvoidLinks = Of(c.AvoidLinks), AvoidRegions = Of(c.AvoidRegions), StayWithinRegions = Of(c.StayWithinRegions) }
                : null,
            Compliance = spec.Compliance is { } p
                ? p with { Regions = Of(p.Regions), Roles = Of(p.Roles), Vendors = Of(p.Vendors), InterfaceRules = p.InterfaceRules.IsDefault ? [] : p.InterfaceRules }
                : null,
        };
    }
}
