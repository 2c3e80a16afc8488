namespace Pdsno.Abstractions.Ids;

/// <summary>A governed configuration change of a tenant; its grain key is <c>tenant/change</c>.</summary>
[GenerateSerializer, Immutable, Alias("pdsno.change-id")]
public readonly record struct ChangeId
{
    /// <summary>Creates a change id after validating both parts.</summary>
    public ChangeId(string tenant, string change)
    {
        Tenant = KeyPart.Validate(tenant, nameof(tenant));
        Change = KeyPart.Validate(change, nameof(change));
    }

    /// <summary>The owning tenant.</summary>
    [Id(0)] public string Tenant { get; }

    /// <summary>The change key, unique within the tenant.</summary>
    [Id(1)] public string Change { get; }

    /// <summary>The grain key.</summary>
    public override string ToString() => $"{Tenant}/{Change}";

    /// <summary>A new change of <paramref name="tenant"/>; keys sort by creation time, so lists page in the order changes were made.</summary>
    public static ChangeId New(string tenant) => new(tenant, "ch-" + Guid.CreateVersion7().ToString("N"));

    /// <summary>Parses a <c>tenant/change</c> key.</summary>
    public static ChangeId Parse(string key)
    {
        var parts = key.Split('/');
        if (parts.Length != 2)
        {
            throw new FormatException($"'{key}' is not a change key of the form tenant/change");
        }

        return new ChangeId(parts[0], parts[1]);
    }
}
