namespace Pdsno.Abstractions.Ids;

/// <summary>An intent of a tenant; its grain key is <c>tenant/intent</c>.</summary>
[GenerateSerializer, Immutable, Alias("pdsno.intent-id")]
public readonly record struct IntentId
{
    /// <summary>Creates an intent id after validating both parts.</summary>
    public IntentId(string tenant, string intent)
    {
        Tenant = KeyPart.Validate(tenant, nameof(tenant));
        Intent = KeyPart.Validate(intent, nameof(intent));
    }

    /// <summary>The owning tenant.</summary>
    [Id(0)] public string Tenant { get; }

    /// <summary>The intent key, unique within the tenant.</summary>
    [Id(1)] public string Intent { get; }

    /// <summary>The grain key.</summary>
    public override string ToString() => $"{Tenant}/{Intent}";

    /// <summary>A new intent of <paramref name="tenant"/>; keys sort by creation time.</summary>
    public static IntentId New(string tenant) => new(tenant, "in-" + Guid.CreateVersion7().ToString("N"));

    /// <summary>Parses a <c>tenant/intent</c> key.</summary>
    public static IntentId Parse(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 ? new IntentId(key[..slash], key[(slash + 1)..]) : throw new FormatException($"'{key}' is not an intent key of the form tenant/intent");
    }
}
