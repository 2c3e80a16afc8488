namespace Pdsno.Storage.ReadModel;

/// <summary>A region row of the read model; <see cref="Name"/> falls back to the key when no display name is set.</summary>
public sealed record RegionRecord(string Key, string Name, long PolicyVersion, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
