using System.Net;
using System.Text.Json.Nodes;
using Npgsql;
using Pdsno.IntegrationTests.Infrastructure;
using Pdsno.IntegrationTests.Security;

namespace Pdsno.IntegrationTests.Audit;

/// <summary>
/// The audit trail on a real silo that runs as the README's setup has it (its own database role, the schema applied
/// by the owner): what mutations and sandbox actions write, what the silo's role may not do to it, and how
/// verification names tampering done through the owner.
/// </summary>
[Collection(PostgresGroup.Name)]
public sealed class AuditTrailTests(PostgresFixture postgres, SecuredSilo host) : IClassFixture<SecuredSilo>
{
    private const string Tenant = "default";

    [Fact]
    public async Task Each_mutation_field_writes_one_record_with_actor_operation_target_and_outcome_before_it_answers()
    {
        await host.StartAsync(postgres, ownRole: true);
        var admin = host.Token("admin");
        var since = await LastSeqAsync();

        await host.DataAsync(admin, "mutation { triggerDiscovery(input: {id: \"region-1\"}) { errors { code } } }");
        await host.DataAsync(admin, "mutation($id: ID!) { setDeviceDown(input: {id: $id, down: true}) { errors { code } } }", new JsonObject { ["id"] = "no-such-device" });
        await host.DataAsync(admin, "mutation { a: setLinkDown(input: {id: \"l-1\", down: true}) { errors { code } } b: setLinkDown(input: {id: \"l-2\", down: false}) { errors { code } } }");
        var (_, refused) = await host.PostAsync(host.Token("viewer"), "mutation { deleteRegion(input: {id: \"region-2\"}) { errors { code } } }");
        Assert.Equal(["FORBIDDEN"], SecuredSilo.Codes(refused));
        using (var sandbox = new HttpRequestMessage(HttpMethod.Post, "/sandbox/devices/no-such-device/down"))
        {
            sandbox.Headers.Authorization = new("Bearer", host.Token("operator"));
            using var answer = await host.Anonymous.SendAsync(sandbox);
            Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
        }

        await host.DataAsync(admin, "{ regions(first: 1) { totalCount } }");

        // Read at once: every answer above came after its record was durable. Security events are chained too, so
        // the refusal's PERMISSION_DENIED record may come in between; the operations' records are in order.
        var records = (await AuditLogAsync(admin, since)).Where(r => r.Operation != "PermissionDenied").ToList();
        var adminActor = $"token {(await host.DataAsync(admin, "{ viewer { tokenId } }"))["viewer"]!["tokenId"]!.GetValue<string>()} (first-admin)";
        Assert.Equal(
            [
                ("triggerDiscovery", "id=region-1", "ok", adminActor),
                ("setDeviceDown", "id=no-such-device", "NOT_FOUND", adminActor),
                ("setLinkDown", "id=l-1", "NOT_FOUND", adminActor),
                ("setLinkDown", "id=l-2", "NOT_FOUND", adminActor),
                ("deleteRegion", "id=region-2", "FORBIDDEN", "(viewer)"),
                ("POST /sandbox/devices/{device}/{action}", "action=down, device=no-such-device", "NOT_FOUND", "(operator)"),
            ],
            records.Select(r => (r.Operation, r.Target, r.Outcome, r.Actor.EndsWith("(viewer)", StringComparison.Ordinal) ? "(viewer)" : r.Actor.EndsWith("(operator)", StringComparison.Ordinal) ? "(operator)" : r.Actor)));

        var verified = (await host.DataAsync(admin, "{ verifyAuditChain { ok checked firstBroken { seq reason } } }"))["verifyAuditChain"]!;
        Assert.True(verified["ok"]!.GetValue<bool>(), verified.ToJsonString());
        Assert.True(verified["checked"]!.GetValue<long>() >= records.Count);
    }

    [Fact]
    public async Task The_silo_role_cannot_update_delete_or_truncate_audit_rows_nor_disable_the_trigger()
    {
        await host.StartAsync(postgres, ownRole: true);
        await host.DataAsync(host.Token("admin"), "mutation { triggerDiscovery(input: {id: \"region-1\"}) { errors { code } } }");

        foreach (var sql in new[]
        {
            "UPDATE audit_log SET outcome = 'ok'",
            "DELETE FROM audit_log",
            "TRUNCATE audit_log",
            "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only",
            "DROP TABLE audit_log",
        })
        {
            var refused = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(host.ConnectionString, sql));
            Assert.True(refused.SqlState is PostgresErrorCodes.InsufficientPrivilege, $"{sql}: {refused.SqlState} {refused.MessageText}");
        }

        // Even the owner goes through the trigger unless it disables it on purpose.
        var owner = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(host.OwnerConnectionString, "DELETE FROM audit_log"));
        Assert.Contains("append-only", owner.MessageText, StringComparison.Ordinal);
        Assert.True(await CountAsync() > 0);
    }

    [Fact]
    public async Task Tampering_and_deleting_through_the_owner_are_named_by_verifyAuditChain_and_audit_verify()
    {
        await host.StartAsync(postgres, ownRole: true);
        var admin = host.Token("admin");
        for (var i = 0; i < 4; i++)
        {
            await host.DataAsync(admin, $"mutation {{ setDeviceDown(input: {{id: \"gone-{i}\", down: true}}) {{ errors {{ code }} }} }}");
        }

        Assert.Equal((0, "OK"), await VerifyCommandAsync());

        // A record's outcome rewritten by someone who can disable the trigger.
        await ExecuteAsync(host.OwnerConnectionString, $"""
            CREATE TABLE audit_saved AS SELECT * FROM audit_log WHERE tenant = '{Tenant}' AND seq IN (2, 3);
            ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only;
            UPDATE audit_log SET outcome = 'ok', target = 'id=elsewhere' WHERE tenant = '{Tenant}' AND seq = 2;
            ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only;
            """);
        await AssertBrokenAsync(admin, 2, "hash mismatch");

        // Put back, then delete the record after it: a gap, named at the record that follows it.
        await ExecuteAsync(host.OwnerConnectionString, $"""
            ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only;
            DELETE FROM audit_log WHERE tenant = '{Tenant}' AND seq IN (2, 3);
            INSERT INTO audit_log SELECT * FROM audit_saved WHERE seq = 2;
            ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only;
            """);
        await AssertBrokenAsync(admin, 4, "gap in seq: record 3 is missing");

        await ExecuteAsync(host.OwnerConnectionString, "INSERT INTO audit_log SELECT * FROM audit_saved WHERE seq = 3; DROP TABLE audit_saved;");
        Assert.Equal((0, "OK"), await VerifyCommandAsync());
        Assert.True((await host.DataAsync(admin, "{ verifyAuditChain { ok } }"))["verifyAuditChain"]!["ok"]!.GetValue<bool>());
    }

    [Fact]
    public async Task The_token_command_is_recorded_like_a_mutation()
    {
        await host.StartAsync(postgres, ownRole: true);
        var since = await LastSeqAsync();

        var (exit, output) = await SiloCommand.RunAsync(new Dictionary<string, string> { ["ConnectionStrings:Pdsno"] = host.ConnectionString }, "token", "revoke", "--id", "00000000000000ff");

        Assert.True(exit == 1, output);
        var records = await AuditLogAsync(host.Token("admin"), since);
        Assert.Contains(records, r => (r.Actor, r.Operation, r.Target, r.Outcome) == ("command line", "token revoke", "id=00000000000000ff", "NOT_FOUND"));
    }

    private async Task AssertBrokenAsync(string admin, long seq, string reason)
    {
        var verified = (await host.DataAsync(admin, "{ verifyAuditChain { ok checked firstBroken { seq reason } } }"))["verifyAuditChain"]!;
        Assert.False(verified["ok"]!.GetValue<bool>());
        Assert.Equal(seq, verified["firstBroken"]!["seq"]!.GetValue<long>());
        Assert.StartsWith(reason, verified["firstBroken"]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);

        var (exit, output) = await SiloCommand.RunAsync(new Dictionary<string, string> { ["ConnectionStrings:Pdsno"] = host.ConnectionString }, "audit", "verify");
        Assert.True(exit == 1, output);
        Assert.Contains($"BROKEN at tenant {Tenant} seq {seq}: {reason}", output, StringComparison.Ordinal);
        Assert.Matches(@"checked \d+ records \(all tenants\)", output);
    }

    private async Task<(int, string)> VerifyCommandAsync()
    {
        var (exit, output) = await SiloCommand.RunAsync(new Dictionary<string, string> { ["ConnectionStrings:Pdsno"] = host.ConnectionString }, "audit", "verify", "--tenant", Tenant);
        Assert.Matches($@"checked [1-9]\d* records \(tenant {Tenant}\)", output);
        return (exit, output.Contains(": OK", StringComparison.Ordinal) ? "OK" : output);
    }

    private async Task<List<(long Seq, string Actor, string Operation, string Target, string Outcome)>> AuditLogAsync(string token, long since)
    {
        var data = await host.DataAsync(token, $"{{ auditLog(since: {since}, first: 100) {{ edges {{ node {{ seq actor operation target outcome prevHash hash }} }} }} }}");
        return [.. data["auditLog"]!["edges"]!.AsArray().Select(e => e!["node"]!).Select(n => (
            n["seq"]!.GetValue<long>(), n["actor"]!.GetValue<string>(), n["operation"]!.GetValue<string>(), n["target"]!.GetValue<string>(), n["outcome"]!.GetValue<string>()))];
    }

    private async Task<long> LastSeqAsync() =>
        await ScalarAsync($"SELECT coalesce(max(seq), 0) FROM audit_log WHERE tenant = '{Tenant}'");

    private async Task<long> CountAsync() => await ScalarAsync("SELECT count(*) FROM audit_log");

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(host.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
