using System.Collections.Immutable;

namespace Pdsno.Abstractions.Security;

/// <summary>What a token may do. Stored by name (see <see cref="RoleNames"/>): never rename a member.</summary>
[Flags]
public enum Roles
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary>Reads topology, events and policy.</summary>
    Viewer = 1,

    /// <summary>Sandbox controls, discovery triggers and imports.</summary>
    Operator = 2,

    /// <summary>Approves MEDIUM changes in its regions.</summary>
    RegionApprover = 4,

    /// <summary>Approves HIGH changes.</summary>
    GlobalApprover = 8,

    /// <summary>Regions, tokens, tenants and the global policy.</summary>
    Admin = 16,
}

/// <summary>The names roles have in tokens, the API and the database, and what each implies.</summary>
public static class RoleNames
{
    private static readonly (Roles Role, string Name)[] Table =
    [
        (Roles.Viewer, "viewer"),
        (Roles.Operator, "operator"),
        (Roles.RegionApprover, "region-approver"),
        (Roles.GlobalApprover, "global-approver"),
        (Roles.Admin, "admin"),
    ];

    /// <summary>Every role name, in the order of the table.</summary>
    public static ImmutableArray<string> All { get; } = [.. Table.Select(t => t.Name)];

    /// <summary>
    /// The roles a grant gives: every role reads, and an admin also operates. Approving is never implied, so the
    /// person who can change the network is not silently the one who approves the change.
    /// </summary>
    public static Roles Effective(Roles granted)
    {
        var effective = granted;
        if (granted != Roles.None)
        {
            effective |= Roles.Viewer;
        }

        if (granted.HasFlag(Roles.Admin))
        {
            effective |= Roles.Operator;
        }

        return effective;
    }

    /// <summary>The name of one role.</summary>
    public static string NameOf(Roles role) =>
        Table.FirstOrDefault(t => t.Role == role).Name ?? throw new ArgumentOutOfRangeException(nameof(role), role, "not a single role");

    /// <summary>The names of the roles in a set, in table order.</summary>
    public static ImmutableArray<string> Names(Roles roles) => [.. Table.Where(t => roles.HasFlag(t.Role)).Select(t => t.Name)];

    /// <summary>Parses role names; an unknown name throws <see cref="FormatException"/> naming it and the known ones.</summary>
    public static Roles Parse(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var roles = Roles.None;
        foreach (var name in names)
        {
            var match = Table.FirstOrDefault(t => string.Equals(t.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase));
            if (match.Name is null)
            {
                throw new FormatException($"unknown role '{name}'; roles are {string.Join(", ", All)}");
            }

            roles |= match.Role;
        }

        return roles;
    }
}
