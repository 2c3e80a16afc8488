using GraphQL.Validation;
using GraphQLParser.AST;
using Microsoft.Extensions.DependencyInjection;
using Pdsno.Abstractions.Events;
using Pdsno.Abstractions.Security;

namespace Pdsno.GraphQL.Security;

/// <summary>
/// Refuses, before anything runs, every field of the document the caller's roles do not allow (also inside
/// fragments that are never spread: a document either may run entirely or not at all). Each refusal is a FORBIDDEN
/// error naming the field and the role it needs, and is recorded in the audit trail.
/// </summary>
public sealed class AuthorizationRule : ValidationRuleBase
{
    /// <summary>The error code of a refusal.</summary>
    public const string Forbidden = "FORBIDDEN";

    /// <inheritdoc />
    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.UserContext is not PdsnoUserContext { Caller: var caller })
        {
            context.ReportError(new ValidationError("The request has no authenticated caller.") { Code = Forbidden });
            return default;
        }

        if (caller.IsSystem)
        {
            return default;
        }

        var refused = new HashSet<string>(StringComparer.Ordinal);
        return ValueTask.FromResult<INodeVisitor?>(new MatchingNodeVisitor<GraphQLField>((node, ctx) =>
        {
            var field = ctx.TypeInfo.GetFieldDef();
            var parent = ctx.TypeInfo.GetParentType();
            if (field is null || parent is null)
            {
                return;
            }

            var schema = ctx.Schema;
            var isRoot = parent == schema.Query || parent == schema.Mutation || parent == schema.Subscription;
            if (!isRoot && !field.HasMetadata(FieldAccess.RoleKey))
            {
                return;
            }

            var (role, tenantWide) = FieldAccess.Of(field, parent == schema.Mutation);
            var any = FieldAccess.AnyOf(field);
            string? reason = null;
            if (any != Roles.None && (RoleNames.Effective(caller.Roles) & any) == Roles.None)
            {
                reason = $"'{field.Name}' needs one of the {string.Join(", ", RoleNames.Names(any))} roles; this token has {Describe(caller.Roles)}";
            }
            else if (!caller.Has(role))
            {
                reason = $"'{field.Name}' needs the {RoleNames.NameOf(role)} role; this token has {Describe(caller.Roles)}";
            }
            else if (tenantWide && caller.IsRegionScoped)
            {
                reason = $"'{field.Name}' acts on the whole tenant; this token is limited to regions {string.Join(", ", caller.Regions)}";
            }

            if (reason is not null && refused.Add(field.Name))
            {
                ctx.ReportError(new ValidationError(reason) { Code = Forbidden });
                ctx.RequestServices?.GetService<IAuditTrail>()?.Refused(caller.Tenant, TopologyEventType.PermissionDenied, caller.Actor, reason);
            }
        }));
    }

    private static string Describe(Roles roles) => roles == Roles.None ? "no role" : string.Join(", ", RoleNames.Names(roles));
}
