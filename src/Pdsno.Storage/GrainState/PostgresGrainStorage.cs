using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Storage;
using Pdsno.Grains.Projection;
using Pdsno.Storage.Projection;

namespace Pdsno.Storage.GrainState;

/// <summary>
/// Grain state in PostgreSQL (table <c>grain_state</c>), written through the projection writer: a grain that offers its
/// projection (<see cref="StateProjection"/>) has its state, events and read-model rows committed in one transaction,
/// and the writes of many grains share one commit under load. State written by the earlier storage (the Orleans
/// ADO.NET tables) is read from there until the grain writes again.
/// </summary>
public sealed partial class PostgresGrainStorage(
    string serviceId,
    NpgsqlDataSource dataSource,
    PostgresProjectionWriter writer,
    IGrainStorageSerializer serializer,
    Func<IGrainStorage?> legacy,
    ILogger<PostgresGrainStorage> logger) : IGrainStorage, IProjectingGrainStorage
{
    private Task<bool>? _legacyHasRows;

    /// <inheritdoc />
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        await using (var read = dataSource.CreateCommand(
            "SELECT version, payload FROM grain_state WHERE service_id = @s AND grain_type = @t AND grain_key = @k AND state_name = @n"))
        {
            Key(read, stateName, grainId);
            await using var reader = await read.ExecuteReaderAsync();
            if (await reader.ReadAsync())
            {
                grainState.ETag = reader.GetInt32(0).ToString(CultureInfo.InvariantCulture);
                grainState.State = serializer.Deserialize<T>(new BinaryData(reader.GetFieldValue<byte[]>(1)));
                grainState.RecordExists = true;
                return;
            }
        }

        if (await LegacyHasRowsAsync() && legacy() is { } earlier)
        {
            await earlier.ReadStateAsync(stateName, grainId, grainState);
            if (grainState.RecordExists)
            {
                grainState.ETag = StateProjection.EarlierStorage;
                return;
            }
        }

        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    /// <inheritdoc />
    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var projection = StateProjection.Take();
        var expected = grainState.ETag is null or StateProjection.EarlierStorage ? (int?)null : int.Parse(grainState.ETag, CultureInfo.InvariantCulture);
        var payload = serializer.Serialize(grainState.State).ToArray();
        var write = new GrainStateWrite(serviceId, grainId.Type.ToString()!, grainId.Key.ToString()!, stateName, expected, payload, DeferredDurability.IsDeferred);
        var (events, version) = await writer.CommitAsync(write, projection?.Work);
        projection?.Complete(events);
        grainState.ETag = version.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    /// <inheritdoc />
    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        if (grainState.ETag is { } etag && etag != StateProjection.EarlierStorage)
        {
            await using var delete = dataSource.CreateCommand(
                "DELETE FROM grain_state WHERE service_id = @s AND grain_type = @t AND grain_key = @k AND state_name = @n AND version = @v");
            Key(delete, stateName, grainId);
            delete.Parameters.AddWithValue("v", int.Parse(etag, CultureInfo.InvariantCulture));
            if (await delete.ExecuteNonQueryAsync() == 0)
            {
                throw new InconsistentStateException($"grain state {grainId} ({stateName}) is not at version {etag}");
            }
        }

        if (grainState.ETag == StateProjection.EarlierStorage && legacy() is { } earlier)
        {
            await earlier.ClearStateAsync(stateName, grainId, grainState);
        }

        grainState.ETag = null;
        grainState.RecordExists = false;
        grainState.State = Activator.CreateInstance<T>();
    }

    private void Key(NpgsqlCommand command, string stateName, GrainId grainId)
    {
        command.Parameters.AddWithValue("s", serviceId);
        command.Parameters.AddWithValue("t", grainId.Type.ToString()!);
        command.Parameters.AddWithValue("k", grainId.Key.ToString()!);
        command.Parameters.AddWithValue("n", stateName);
    }

    // Asked once per silo: a database that never held state in the earlier tables is not asked again per grain.
    private Task<bool> LegacyHasRowsAsync() => _legacyHasRows ??= AskLegacyAsync();

    private async Task<bool> AskLegacyAsync()
    {
        try
        {
            await using var ask = dataSource.CreateCommand(
                "SELECT EXISTS (SELECT 1 FROM orleansstorage WHERE serviceid = @s AND graintypestring <> 'PubSubRendezvousGrain' AND payloadbinary IS NOT NULL)");
            ask.Parameters.AddWithValue("s", serviceId);
            var any = (bool)(await ask.ExecuteScalarAsync())!;
            if (any)
            {
                LogLegacy(logger);
            }

            return any;
        }
        catch
        {
            _legacyHasRows = null;
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Grain state written before grain_state existed is read from the Orleans storage table until each grain writes again")]
    private static partial void LogLegacy(ILogger logger);

    /// <summary>Builds the storage for a silo: the earlier ADO.NET storage is resolved by name when first needed.</summary>
    public static PostgresGrainStorage Create(IServiceProvider services, string serviceId, string legacyName) =>
        new(
            serviceId,
            services.GetRequiredService<NpgsqlDataSource>(),
            services.GetRequiredService<PostgresProjectionWriter>(),
            new OrleansGrainStorageSerializer(services.GetRequiredService<Orleans.Serialization.Serializer>()),
            () => services.GetKeyedService<IGrainStorage>(legacyName),
            services.GetRequiredService<ILogger<PostgresGrainStorage>>());
}
