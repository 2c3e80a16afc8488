namespace Pdsno.Abstractions.Ids;

/// <summary>A region of a tenant; its grain key is <c>tenant/region</c>.</summary>
[GenerateSerializer, Immutable, Alias("pdsno.region-id")]
public readonly record struct RegionId
{
    /// <summary>Creates a region id after validating both parts.</summary>
    public RegionId(string tenant, string region)
    {
        Tenant = KeyPart.Validate(tenant, nameof(tenant));
        Region = KeyPart.Validate(region, nameof(region));
    }

    /// <summary>The owning tenant.</summary>
    [Id(0)] public string Tenant { get; }

    /// <summary>The region name, unique within the tenant.</summary>
    [Id(1)] public string Region { get; }

    /// <summary>The grain key.</summary>
    public override string ToString() => $"{Tenant}/{Region}";

    /// <summary>Parses a <c>tenant/region</c> key.</summary>
    public static RegionId Parse(string key)
    {
        var parts = key.Split('/');
        if (parts.Length != 2)
        {
            throw new FormatException($"'{key}' is not a region key of the form tenant/region");
        }

        return new RegionId(parts[0], parts[1]);
    }
}
