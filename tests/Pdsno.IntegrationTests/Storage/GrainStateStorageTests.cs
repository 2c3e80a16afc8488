using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orleans.Storage;
using Pdsno.Abstractions.Events;
using Pdsno.Grains.Projection;
using Pdsno.IntegrationTests.Infrastructure;
using Pdsno.Storage;
using Pdsno.Storage.GrainState;
using Pdsno.Storage.Migrations;
using Pdsno.Storage.Projection;

namespace Pdsno.IntegrationTests.Storage;

/// <summary>Grain state commits with its projection, versions guard against a second writer, and earlier state is still read.</summary>
[Collection(PostgresGroup.Name)]
public sealed class GrainStateStorageTests(PostgresFixture postgres)
{
    private const string Service = "test-service";

    [Fact]
    public async Task A_state_and_its_projection_commit_together_and_a_stale_version_writes_neither()
    {
        var db = await MigratedDatabaseAsync();
        await using var harness = new Harness(db);
        var id = GrainId.Create("device", "t/one");

        var first = new GrainState<Note> { State = new Note("first") };
        var stored = await harness.WriteAsync(id, first, Work("device:one", 1));
        Assert.Equal("1", first.ETag);
        Assert.Equal([1L], stored.Select(e => e.Sequence));

        // A second activation writes version 2; the first one, still at 1, loses and leaves nothing behind.
        var second = new GrainState<Note>();
        await harness.Storage.ReadStateAsync("state", id, second);
        Assert.Equal(("first", "1", true), (second.State!.Text, second.ETag, second.RecordExists));
        second.State = new Note("second");
        await harness.WriteAsync(id, second, Work("device:one", 2));
        Assert.Equal("2", second.ETag);

        first.State = new Note("stale");
        var refused = await Assert.ThrowsAsync<InconsistentStateException>(() => harness.WriteAsync(id, first, Work("device:one", 3)));
        Assert.Contains("not at version 1", refused.Message, StringComparison.Ordinal);

        var q = new ReadModelQueries(db);
        Assert.Equal(2, await q.ScalarAsync("SELECT count(*) FROM events"));
        Assert.Equal(0, await q.ScalarAsync("SELECT count(*) FROM events WHERE aggregate_version = 3"));
        var reread = new GrainState<Note>();
        await harness.Storage.ReadStateAsync("state", id, reread);
        Assert.Equal(("second", "2"), (reread.State!.Text, reread.ETag));
    }

    [Fact]
    public async Task One_stale_state_among_many_written_at_once_fails_alone()
    {
        var db = await MigratedDatabaseAsync();
        await using var harness = new Harness(db);
        var stale = GrainId.Create("device", "t/stale");
        await harness.WriteAsync(stale, new GrainState<Note> { State = new Note("v1") }, null);

        var writes = Enumerable.Range(0, 40)
            .Select(i => harness.WriteAsync(GrainId.Create("device", $"t/d{i}"), new GrainState<Note> { State = new Note($"d{i}") }, Work($"device:d{i}", 1)))
            .Append(harness.WriteAsync(stale, new GrainState<Note> { State = new Note("again"), ETag = null }, Work("device:stale", 2)))
            .ToList();
        var outcomes = await Task.WhenAll(writes.Select(async w =>
        {
            try
            {
                await w;
                return "ok";
            }
            catch (InconsistentStateException)
            {
                return "stale";
            }
        }));

        Assert.Equal(40, outcomes.Count(o => o == "ok"));
        Assert.Equal("stale", outcomes[^1]);
        var q = new ReadModelQueries(db);
        Assert.Equal(41, await q.ScalarAsync("SELECT count(*) FROM grain_state"));
        Assert.Equal(40, await q.ScalarAsync("SELECT count(*) FROM events"));
        Assert.Equal(40, await q.ScalarAsync("SELECT count(DISTINCT seq) FROM events"));
    }

    [Fact]
    public async Task Writes_that_defer_their_durability_are_stored_alike_and_one_with_events_still_stores_them()
    {
        var db = await MigratedDatabaseAsync();
        await using var harness = new Harness(db);
        var plain = GrainId.Create("device", "t/plain");
        var evented = GrainId.Create("device", "t/evented");

        var first = new GrainState<Note> { State = new Note("locked") };
        var second = new GrainState<Note> { State = new Note("with events") };
        IReadOnlyList<TopologyEvent> stored;
        using (DeferredDurability.Begin())
        {
            await harness.WriteAsync(plain, first, null);
            stored = await harness.WriteAsync(evented, second, Work("device:evented", 1));
        }

        Assert.Equal(("1", "1"), (first.ETag, second.ETag));
        Assert.Equal([1L], stored.Select(e => e.Sequence));
        first.State = new Note("unlocked");
        await harness.WriteAsync(plain, first, null);
        Assert.Equal("2", first.ETag);

        var reread = new GrainState<Note>();
        await harness.Storage.ReadStateAsync("state", plain, reread);
        Assert.Equal(("unlocked", "2"), (reread.State!.Text, reread.ETag));
        Assert.Equal(1, await new ReadModelQueries(db).ScalarAsync("SELECT count(*) FROM events"));
    }

    [Fact]
    public async Task State_written_by_the_earlier_storage_is_read_until_the_grain_writes_again()
    {
        var db = await MigratedDatabaseAsync();
        await using (var connection = new NpgsqlConnection(db))
        {
            await connection.OpenAsync();
            await using var row = new NpgsqlCommand(
                "INSERT INTO orleansstorage (grainidhash, grainidn0, grainidn1, graintypehash, graintypestring, serviceid, payloadbinary, version) VALUES (1, 1, 1, 1, 'device', $1, '\\x00', 7)",
                connection);
            row.Parameters.Add(new NpgsqlParameter { Value = Service });
            await row.ExecuteNonQueryAsync();
        }

        var earlier = new EarlierStorage();
        await using var harness = new Harness(db, earlier);
        var id = GrainId.Create("device", "t/old");
        var state = new GrainState<Note>();
        await harness.Storage.ReadStateAsync("state", id, state);
        Assert.Equal(("from before", true), (state.State!.Text, state.RecordExists));

        state.State = new Note("now");
        await harness.WriteAsync(id, state, null);
        Assert.Equal("1", state.ETag);
        var reread = new GrainState<Note>();
        await harness.Storage.ReadStateAsync("state", id, reread);
        Assert.Equal("now", reread.State!.Text);
        Assert.Equal(1, earlier.Reads);
    }

    private static ProjectionWork Work(string aggregate, long version) =>
        new("t", [new EventDraft(TopologyEventType.DeviceAdded, aggregate, version, 0, "r1", aggregate[7..], null, null, null, "x", DateTimeOffset.UtcNow, null)]);

    private async Task<string> MigratedDatabaseAsync()
    {
        var db = await postgres.CreateDatabaseAsync();
        await new SchemaMigrator(NullLogger<SchemaMigrator>.Instance).MigrateAsync(db, CancellationToken.None);
        return db;
    }

    private sealed record Note(string Text)
    {
        public Note()
            : this("")
        {
        }
    }

    private sealed class JsonSerializerForTests : IGrainStorageSerializer
    {
        public BinaryData Serialize<T>(T? input) => new(JsonSerializer.SerializeToUtf8Bytes(input));

        public T Deserialize<T>(BinaryData input) => JsonSerializer.Deserialize<T>(input.ToArray())!;
    }

    private sealed class EarlierStorage : IGrainStorage
    {
        public int Reads { get; private set; }

        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            Reads++;
            if (grainId.Key.ToString() == "t/old")
            {
                grainState.State = (T)(object)new Note("from before");
                grainState.RecordExists = true;
                grainState.ETag = "7";
            }

            return Task.CompletedTask;
        }

        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => throw new InvalidOperationException("the earlier storage is only read");

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => throw new InvalidOperationException("the earlier storage is only read");
    }

    private sealed class Harness : IAsyncDisposable
    {
        private readonly NpgsqlDataSource _dataSource;
        private readonly PostgresProjectionWriter _writer;

        public Harness(string db, IGrainStorage? earlier = null)
        {
            _dataSource = NpgsqlDataSource.Create(db);
            _writer = new PostgresProjectionWriter(_dataSource, new DatabaseHealth(), NullLogger<PostgresProjectionWriter>.Instance);
            Storage = new PostgresGrainStorage(Service, _dataSource, _writer, new JsonSerializerForTests(), () => earlier, NullLogger<PostgresGrainStorage>.Instance);
        }

        public PostgresGrainStorage Storage { get; }

        public async Task<IReadOnlyList<TopologyEvent>> WriteAsync<T>(GrainId id, IGrainState<T> state, ProjectionWork? work)
        {
            if (work is null)
            {
                await Storage.WriteStateAsync("state", id, state);
                return [];
            }

            using var offer = StateProjection.With(work);
            await Storage.WriteStateAsync("state", id, state);
            return offer.Projection.Stored;
        }

        public async ValueTask DisposeAsync()
        {
            await _writer.DisposeAsync();
            await _dataSource.DisposeAsync();
        }
    }
}
