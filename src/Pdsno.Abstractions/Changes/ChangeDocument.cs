using System.Text.Json;
using System.Text.Json.Serialization;
using Pdsno.Abstractions.Config;

namespace Pdsno.Abstractions.Changes;

/// <summary>The JSON form of a change as the read model keeps it, and of a patch as an execution token hashes it.</summary>
public static class ChangeDocument
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The change as JSON.</summary>
    public static string Serialize(ChangeView change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return JsonSerializer.Serialize(change.Intents.IsDefault ? change with { Intents = change.IntentKeys } : change, Options);
    }

    /// <summary>A patch as JSON, in a stable member order.</summary>
    public static string Serialize(ConfigPatch patch) => JsonSerializer.Serialize(patch, Options);

    /// <summary>Parses <see cref="Serialize(ChangeView)"/> output.</summary>
    public static ChangeView Deserialize(string json) =>
        JsonSerializer.Deserialize<ChangeView>(json, Options) ?? throw new FormatException("empty change document");
}
