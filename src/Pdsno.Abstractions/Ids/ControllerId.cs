namespace Pdsno.Abstractions.Ids;

/// <summary>A local controller of a region; its grain key is <c>tenant/region/controller</c>.</summary>
[GenerateSerializer, Immutable, Alias("pdsno.controller-id")]
public readonly record struct ControllerId
{
    /// <summary>Creates a controller id after validating its parts.</summary>
    public ControllerId(RegionId region, string controller)
    {
        Region = region;
        Controller = KeyPart.Validate(controller, nameof(controller));
    }

    /// <summary>The region the controller serves.</summary>
    [Id(0)] public RegionId Region { get; }

    /// <summary>The controller name, unique within the region.</summary>
    [Id(1)] public string Controller { get; }

    /// <summary>The grain key.</summary>
    public override string ToString() => $"{Region}/{Controller}";

    /// <summary>Parses a <c>tenant/region/controller</c> key.</summary>
    public static ControllerId Parse(string key)
    {
        var parts = key.Split('/');
        if (parts.Length != 3)
        {
            throw new FormatException($"'{key}' is not a controller key of the form tenant/region/controller");
        }

        return new ControllerId(new RegionId(parts[0], parts[1]), parts[2]);
    }
}
