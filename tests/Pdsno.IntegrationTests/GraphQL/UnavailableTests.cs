using System.Net;
using System.Net.Sockets;
using Npgsql;
using Pdsno.GraphQL.Errors;

namespace Pdsno.IntegrationTests.GraphQL;

/// <summary>A database out of reach is UNAVAILABLE (retry), not a bare internal error; a defect stays INTERNAL.</summary>
public sealed class UnavailableTests
{
    [Fact]
    public async Task Queries_over_an_unreachable_database_answer_unavailable_and_say_to_retry()
    {
        await using var host = GraphQLTestHost.Over($"Host=127.0.0.1;Port={ClosedPort()};Database=pdsno;Username=pdsno;Timeout=5");

        // A page with its count, and a loader-batched read: both reach the database and both fail to.
        foreach (var query in new[] { "{ devices(first: 1) { totalCount } }", "{ device(id: \"c000000000001\") { name } }", "{ topology(regionId: \"north\") { nodes { key } } }" })
        {
            var response = await host.ExecuteAsync(query);
            var errors = response.GetProperty("errors").EnumerateArray().ToList();
            Assert.NotEmpty(errors);
            Assert.All(errors, e => Assert.Equal("UNAVAILABLE", e.Code()));
            Assert.All(errors, e => Assert.Equal("The database is unavailable; retry the request shortly.", e.Message()));
        }
    }

    [Fact]
    public void Outages_are_told_from_defects()
    {
        Assert.True(Unavailability.IsUnavailable(new NpgsqlException("Failed to connect to 127.0.0.1:5432", new SocketException((int)SocketError.ConnectionRefused))));
        Assert.True(Unavailability.IsUnavailable(new PostgresException("the database system is shutting down", "FATAL", "FATAL", "57P03")));
        Assert.True(Unavailability.IsUnavailable(new PostgresException("sorry, too many clients already", "FATAL", "FATAL", "53300")));
        Assert.True(Unavailability.IsUnavailable(new OrleansException("Error from storage provider AdoNetGrainStorage.pdsno during ReadStateAsync for grain device/acme/x")));
        Assert.True(Unavailability.IsUnavailable(new AggregateException(new InvalidOperationException("wrapped", new NpgsqlException("Exception while reading from stream", new IOException("reset"))))));

        Assert.False(Unavailability.IsUnavailable(new PostgresException("syntax error at or near \"SELEC\"", "ERROR", "ERROR", "42601")));
        Assert.False(Unavailability.IsUnavailable(new InvalidOperationException("a defect")));
        Assert.False(Unavailability.IsUnavailable(new OrleansException("something else")));
        Assert.False(Unavailability.IsUnavailable(null));
    }

    // A port that was free a moment ago and has nothing listening: connecting is refused at once.
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
