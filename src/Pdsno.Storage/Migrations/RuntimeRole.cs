using Npgsql;

namespace Pdsno.Storage.Migrations;

/// <summary>
/// The privileges of the role a silo runs as, when it is not the role that owns the schema: reading and writing
/// every table, but only reading and appending the audit trail. Granted by the owner after each migration, so
/// tables added later are covered.
/// </summary>
public static class RuntimeRole
{
    /// <summary>
    /// Grants <paramref name="role"/> what a silo needs on the schema that <paramref name="ownerConnectionString"/>
    /// owns. Returns a warning when the grant cannot protect the audit trail (the role is the owner or a superuser).
    /// </summary>
    public static async Task<string?> GrantAsync(string ownerConnectionString, string role, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(role);
        await using var connection = new NpgsqlConnection(ownerConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var check = new NpgsqlCommand(
            "SELECT r.rolsuper, r.rolname = current_user OR pg_has_role(r.oid, (SELECT relowner FROM pg_class WHERE oid = 'audit_log'::regclass), 'USAGE') FROM pg_roles r WHERE r.rolname = @role",
            connection))
        {
            check.Parameters.AddWithValue("role", role);
            await using var reader = await check.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                throw new InvalidOperationException($"the role '{role}' does not exist; create it first (CREATE ROLE {role} LOGIN PASSWORD '...')");
            }

            if (reader.GetBoolean(0) || reader.GetBoolean(1))
            {
                return $"the role '{role}' is a superuser or owns the audit trail, so it can alter audit records; give the silo a role of its own";
            }
        }

        var quoted = "\"" + role.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        await using var grant = new NpgsqlCommand(
            $"""
            GRANT USAGE ON SCHEMA public TO {quoted};
            GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted};
            GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {quoted};
            GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO {quoted};
            REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_log FROM {quoted};
            """,
            connection);
        await grant.ExecuteNonQueryAsync(cancellationToken);
        return null;
    }

    /// <summary>True when the role of <paramref name="connectionString"/> could change audit records: a superuser, or a member of the table's owner.</summary>
    public static async Task<bool> CanAlterAuditTrailAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var check = new NpgsqlCommand(
            "SELECT r.rolsuper OR pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = 'audit_log'::regclass), 'USAGE') FROM pg_roles r WHERE r.rolname = current_user",
            connection);
        return (bool)(await check.ExecuteScalarAsync(cancellationToken))!;
    }
}
