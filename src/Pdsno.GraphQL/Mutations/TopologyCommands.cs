using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Orleans;
using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Ids;
using Pdsno.Abstractions.Policy;
using Pdsno.Abstractions.Regions;
using Pdsno.Abstractions.Security;
using Pdsno.Abstractions.Simulation;
using Pdsno.Discovery.Simulation;
using Pdsno.Storage.ReadModel;

namespace Pdsno.GraphQL.Mutations;

/// <summary>Outcome of an import: the region and what the importer did with odd input.</summary>
public sealed record ImportOutcome(RegionRecord Region, int DevicesImported, int LinksImported, IReadOnlyList<string> Skipped);

/// <summary>
/// The changes the API can make, free of GraphQL: each validates its input, acts through grains, and
/// returns the changed object as the read model now shows it (grains project before they answer).
/// </summary>
public sealed class TopologyCommands(IGrainFactory grains, TopologyReader reader, IConfiguration configuration, IOptions<SimulationLimits> simulationLimits)
{
    private const int MaxGmlCharacters = 16 * 1024 * 1024;

    private string Driver => configuration["Discovery:Driver"] ?? "simulated";

    /// <summary>Creates a region with one local controller.</summary>
    public async Task<CommandResult<RegionRecord>> CreateRegionAsync(Caller caller, string id, string? name, CancellationToken ct)
    {
        var tenant = caller.Tenant;
        if (Invalid(id, "id") is { } bad)
        {
            return CommandResult.Fail<RegionRecord>(UserErrorCode.BadUserInput, bad, "input", "id");
        }

        if (await reader.GetRegionAsync(tenant, id, ct) is not null)
        {
            return CommandResult.Fail<RegionRecord>(UserErrorCode.Conflict, $"region '{id}' already exists", "input", "id");
        }

        if (name is not null && (string.IsNullOrWhiteSpace(name) || name.Trim().Length > 200))
        {
            return CommandResult.Fail<RegionRecord>(UserErrorCode.BadUserInput, "a region name is 1 to 200 characters", "input", "name");
        }

        if (!caller.CanSeeRegion(id))
        {
            return CommandResult.Fail<RegionRecord>(UserErrorCode.Forbidden, $"region '{id}' is outside this token's regions", "input", "id");
        }

        var region = grains.GetGrain<IRegionGrain>(new RegionId(tenant, id).ToString());
        await region.EnsureStartedAsync(new RegionSetup(["lc-1"], Driver, []));
        if (name is not null)
        {
            await region.RenameAsync(name);
        }

        return await RegionResultAsync(tenant, id, ct);
    }

    /// <summary>Renames a region (its display name; the id stays).</summary>
    public async Task<CommandResult<RegionRecord>> RenameRegionAsync(Caller caller, string id, string name, CancellationToken ct)
    {
        var tenant = caller.Tenant;
        if (!caller.CanSeeRegion(id) || await reader.GetRegionAsync(tenant, id, ct) is null)
        {
            return NotFound<RegionRecord>("region", id);
        }

        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > 200)
        {
            return CommandResult.Fail<RegionRecord>(UserErrorCode.BadUserInput, "a region name is 1 to 200 characters", "input", "name");
        }

        await grains.GetGrain<IRegionGrain>(new RegionId(tenant, id).ToString()).RenameAsync(name);
        return await RegionResultAsync(tenant, id, ct);
    }

    /// <summary>Deletes an empty region.</summary>
    public async Task<CommandResult<RegionRecord>> DeleteRegionAsync(Caller caller, string id, CancellationToken ct)
    {
        var tenant = caller.Tenant;
        var existing = caller.CanSeeRegion(id) ? await reader.GetRegionAsync(tenant, id, ct) : null;
        if (existing is null)
        {
            return NotFound<RegionRecord>("region", id);
        }

        try
        {
            await grains.GetGrain<IRegionGrain>(new RegionId(tenant, id).ToString()).DeleteAsync();
        }
        catch (InvalidOperationException ex)
        {
            return CommandResult.Fail<RegionRecord>(UserErrorCode.Conflict, ex.Message, "input", "id");
        }

        return CommandResult.Ok<RegionRecord>(existing);
    }

    /// <summary>
    /// Imports GML text or a Topology Zoo network into a region of the simulated network, all or nothing:
    /// a malformed file, or devices that collide with the network already there, import nothing.
    /// </summary>
    public async Task<CommandResult<ImportOutcome>> ImportTopologyAsync(Caller caller, string regionId, string? gml, string? zooFile, string? name, CancellationToken ct)
    {
        var tenant = caller.Tenant;
        if (Invalid(regionId, "regionId") is { } bad)
        {
            return CommandResult.Fail<ImportOutcome>(UserErrorCode.BadUserInput, bad, "input", "regionId");
        }

        if ((gml is null) == (zooFile is null))
        {
            return CommandResult.Fail<ImportOutcome>(UserErrorCode.BadUserInput, "give exactly one of gml and zooFile", "input");
        }

        var existingRegion = caller.CanSeeRegion(regionId) ? await reader.GetRegionAsync(tenant, regionId, ct) : null;
        if (existingRegion is null && !(caller.Has(Roles.Admin) && caller.CanSeeRegion(regionId)))
        {
            return CommandResult.Fail<ImportOutcome>(UserErrorCode.NotFound, $"region '{regionId}' not found; an admin creates regions, or imports into a new one", "input", "regionId");
        }

        string text;
        string source;
        if (zooFile is not null)
        {
            var loaded = LoadZooFile(zooFile);
            if (loaded is null)
            {
                return CommandResult.Fail<ImportOutcome>(UserErrorCode.NotFound, $"no Topology Zoo network named '{zooFile}'; shipped: {string.Join(", ", ShippedTopologies.Names)}", "input", "zooFile");
            }

            (text, source) = loaded.Value;
        }
        else
        {
            if (gml!.Length > MaxGmlCharacters)
            {
                return CommandResult.Fail<ImportOutcome>(UserErrorCode.BadUserInput, $"the GML text is {gml.Length} characters; the limit is {MaxGmlCharacters}", "input", "gml");
            }

            text = gml;
            source = name ?? "import-" + regionId;
        }

        var partName = name ?? source;
        if (Invalid(partName, "name") is { } badName)
        {
            return CommandResult.Fail<ImportOutcome>(UserErrorCode.BadUserInput, badName, "input", "name");
        }

        // The rules first: they are cheap, and a part of a region the caller cannot touch must not cost a parse.
        var limits = simulationLimits.Value;
        var network = grains.GetGrain<ISimulatedNetworkGrain>(tenant);
        var current = (await network.GetViewAsync(-1)).Definition ?? new SimulatedNetworkDefinition(0, []);
        var part = SimulatedNetworkPart.Imported(partName, text, regionId);
        if (SimulatedNetworkRules.CheckPut(current, part, caller, limits) is { } refusal)
        {
            return Refused<ImportOutcome>(refusal);
        }

        var field = zooFile is null ? "gml" : "zooFile";
        TopologyImport import;
        try
        {
            import = TopologyZooImporter.Import(text, regionId, partName, limits.MaxNodesPerImport, 0, ct);
        }
        catch (ImportLimitException)
        {
            return CommandResult.Fail<ImportOutcome>(UserErrorCode.BadUserInput, $"the graph has more than {limits.MaxNodesPerImport} nodes; {SimulationLimits.Section}:MaxNodesPerImport is {limits.MaxNodesPerImport}", "input", field);
        }
        catch (FormatException ex)
        {
            return CommandResult.Fail<ImportOutcome>(UserErrorCode.BadUserInput, ex.Message, "input", field);
        }
        catch (ArgumentException ex)
        {
            return CommandResult.Fail<ImportOutcome>(UserErrorCode.BadUserInput, ex.Message, "input", field);
        }

        // A replaced part keeps its place, as the grain keeps it: the order decides which of two parts keeps its addresses.
        var index = current.Parts.Select(p => p.Name).ToList().IndexOf(partName);
        var parts = index >= 0 ? current.Parts.SetItem(index, part) : current.Parts.Add(part);
        try
        {
            SimulatedNetworkModel.Build(new SimulatedNetworkDefinition(current.Version + 1, parts), int.MaxValue, ct);
        }
        catch (ArgumentException ex)
        {
            return CommandResult.Fail<ImportOutcome>(UserErrorCode.Conflict, "the import collides with the network already defined: " + ex.Message, "input");
        }

        try
        {
            await network.PutPartAsync(part);
        }
        catch (UnauthorizedAccessException ex)
        {
            // Another import changed the network since the check above; the grain applied the same rules.
            return CommandResult.Fail<ImportOutcome>(UserErrorCode.Forbidden, ex.Message, "input", "name");
        }
        catch (InvalidOperationException ex)
        {
            return CommandResult.Fail<ImportOutcome>(UserErrorCode.Conflict, ex.Message, "input", "name");
        }

        var region = grains.GetGrain<IRegionGrain>(new RegionId(tenant, regionId).ToString());
        if (existingRegion is null)
        {
            await region.EnsureStartedAsync(new RegionSetup(["lc-1"], Driver, []));
        }

        await region.TriggerDiscoveryAsync();
        var record = (await reader.GetRegionAsync(tenant, regionId, ct))!;
        return CommandResult.Ok<ImportOutcome>(new ImportOutcome(record, import.Report.NodesImported, import.Report.EdgesImported, import.Report.Skipped));
    }

    /// <summary>Asks a region's controllers to run a cycle now.</summary>
    public async Task<CommandResult<RegionRecord>> TriggerDiscoveryAsync(Caller caller, string regionId, CancellationToken ct)
    {
        var tenant = caller.Tenant;
        var existing = caller.CanSeeRegion(regionId) ? await reader.GetRegionAsync(tenant, regionId, ct) : null;
        if (existing is null)
        {
            return NotFound<RegionRecord>("region", regionId);
        }

        await grains.GetGrain<IRegionGrain>(new RegionId(tenant, regionId).ToString()).TriggerDiscoveryAsync();
        return CommandResult.Ok<RegionRecord>(existing);
    }

    /// <summary>Stores a new global policy version; regions adopt it.</summary>
    public async Task<CommandResult<GlobalPolicy>> SetGlobalPolicyAsync(Caller caller, int discoveryIntervalSeconds, int missedCyclesUntilInactive, int? minimumIntervalSeconds = null, int? maximumIntervalSeconds = null)
    {
        var tenant = caller.Tenant;
        foreach (var (name, seconds) in new[] { ("discoveryIntervalSeconds", (int?)discoveryIntervalSeconds), ("minimumIntervalSeconds", minimumIntervalSeconds), ("maximumIntervalSeconds", maximumIntervalSeconds) })
        {
            if (seconds is < 1 or > 86_400)
            {
                return CommandResult.Fail<GlobalPolicy>(UserErrorCode.BadUserInput, $"{name} {seconds} is outside 1..86400", "input", name);
            }
        }

        try
        {
            var policy = await grains.GetGrain<IGlobalPolicyGrain>(tenant).SetPolicyAsync(
                TimeSpan.FromSeconds(discoveryIntervalSeconds),
                missedCyclesUntilInactive,
                minimumIntervalSeconds is { } min ? TimeSpan.FromSeconds(min) : null,
                maximumIntervalSeconds is { } max ? TimeSpan.FromSeconds(max) : null);
            return CommandResult.Ok<GlobalPolicy>(policy);
        }
        catch (ArgumentException ex)
        {
            return CommandResult.Fail<GlobalPolicy>(UserErrorCode.BadUserInput, ex.Message, "input");
        }
    }

    private async Task<CommandResult<RegionRecord>> RegionResultAsync(string tenant, string id, CancellationToken ct) =>
        await reader.GetRegionAsync(tenant, id, ct) is { } record ? CommandResult.Ok<RegionRecord>(record) : NotFound<RegionRecord>("region", id);

    private static CommandResult<T> Refused<T>(PartRefusal refusal)
        where T : class => refusal.Kind switch
        {
            PartRefusalKind.Forbidden => CommandResult.Fail<T>(UserErrorCode.Forbidden, refusal.Message, "input", "regionId"),
            PartRefusalKind.Conflict => CommandResult.Fail<T>(UserErrorCode.Conflict, refusal.Message, "input", "name"),
            _ => CommandResult.Fail<T>(UserErrorCode.BadUserInput, refusal.Message, "input"),
        };

    private static CommandResult<T> NotFound<T>(string what, string id)
        where T : class =>
        CommandResult.Fail<T>(UserErrorCode.NotFound, $"{what} '{id}' not found", "input", "id");

    private static string? Invalid(string value, string what) => KeyPart.Problem(value, what);

    private (string Text, string Source)? LoadZooFile(string zooFile)
    {
        var shipped = ShippedTopologies.Names.FirstOrDefault(n => string.Equals(n, zooFile, StringComparison.OrdinalIgnoreCase));
        if (shipped is not null)
        {
            return (ShippedTopologies.Load(shipped), shipped);
        }

        // Only a bare file name is accepted, looked up in the configured Topology Zoo folder.
        var folder = configuration["GraphQL:TopologyZooFolder"];
        var file = zooFile.EndsWith(".gml", StringComparison.OrdinalIgnoreCase) ? zooFile : zooFile + ".gml";
        if (string.IsNullOrEmpty(folder) || file.IndexOfAny(['/', '\\']) >= 0 || file.Contains("..", StringComparison.Ordinal))
        {
            return null;
        }

        var path = Path.Combine(folder, file);
        return File.Exists(path) ? (File.ReadAllText(path), Path.GetFileNameWithoutExtension(file)) : null;
    }
}
