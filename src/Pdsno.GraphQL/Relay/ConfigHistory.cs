using System.Globalization;
using GraphQL;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Pdsno.Abstractions.Config;
using Pdsno.GraphQL.Limits;
using Pdsno.GraphQL.Loading;
using Pdsno.Storage.ReadModel;

namespace Pdsno.GraphQL.Relay;

/// <summary>The <c>Device.configHistory</c> connection: a device's applied versions, newest first, paged by version.</summary>
public static class ConfigHistory
{
    private const string List = "configHistory";

    /// <summary>One page for the <c>first</c>/<c>after</c> arguments of <paramref name="context"/>; nothing for a device outside the caller's regions.</summary>
    public static async Task<Connection<ConfigVersion>> PageAsync(IResolveFieldContext context, DeviceRecord device)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(device);
        var services = context.RequestServices ?? throw new InvalidOperationException("The execution has no request services.");
        var limits = services.GetRequiredService<IOptions<GraphQLLimitsOptions>>().Value;
        var (size, _) = PageSize.Resolve(context.GetArgument<int?>("first"), null, limits);
        var after = Cursor.Decode(context.GetArgument<string?>("after"), List, "after", k => long.TryParse(k, NumberStyles.None, CultureInfo.InvariantCulture, out _));
        var visible = context.Caller().CanSeeRegion(device.Region);
        var rows = visible
            ? await context.Reader().ReadConfigHistoryAsync(context.Tenant(), device.Key, size, after is null ? null : long.Parse(after, CultureInfo.InvariantCulture), context.CancellationToken)
            : new KeysetResult<ConfigVersion>([], false);
        var edges = rows.Rows.Select(v => new Edge<ConfigVersion>(Cursor.Encode(List, v.Version.ToString(CultureInfo.InvariantCulture)), v)).ToList();
        var info = new PageInfo(rows.HasMore, after is not null, edges.Count > 0 ? edges[0].Cursor : null, edges.Count > 0 ? edges[^1].Cursor : null);
        // Versions are numbered from 1 without gaps, so the newest one is the count.
        var total = !visible ? 0 : rows.Rows.Count > 0 && after is null ? (int)rows.Rows[0].Version : -1;
        return new Connection<ConfigVersion>(edges, info, async ct => total >= 0 ? total : await context.Reader().CountConfigVersionsAsync(context.Tenant(), device.Key, ct));
    }
}
