using System.Collections.Immutable;
using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Pdsno.Abstractions.Grains;
using Pdsno.Abstractions.Intents;
using Pdsno.GraphQL.Errors;
using Pdsno.GraphQL.Loading;
using Pdsno.GraphQL.Relay;
using Pdsno.GraphQL.Security;
using Pdsno.Storage.ReadModel;

namespace Pdsno.GraphQL.Intents;

/// <summary>The intent queries: previews compiled by the tenant's intent grain, which store nothing.</summary>
public static class IntentQueryFields
{
    /// <summary>Adds <c>previewIntent</c> and <c>previewFailure</c> to the query root.</summary>
    public static void Add(ObjectGraphType query)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Field<IntentCompilationGraphType>("previewIntent")
            .Requires(Abstractions.Security.Roles.Operator, tenantWide: true)
            .Description("Compiles an intent against the live topology and capacity ledger: its path(s), per-link headroom before and after, conflicts and the patches it would install. Stores nothing. Bad input is BAD_USER_INPUT naming the field.")
            .Argument<NonNullGraphType<IntentInputGraphType>>("input")
            .ResolveAsync(async c =>
            {
                var spec = await WithDeviceKeysAsync(c, c.GetArgument<IntentInput>("input").ToSpec("preview"));
                var preview = await Grain(c).PreviewIntentAsync(spec);
                return Report(c, preview.Errors, "input.") ? null : preview.Compilation;
            });

        query.Field<FailurePreviewGraphType>("previewFailure")
            .Requires(Abstractions.Security.Roles.Viewer, tenantWide: true)
            .Description("If these links and devices failed now: which intents reroute (old and new path), which fail and why, and the resulting reserved load per link. Stores nothing.")
            .Argument<ListGraphType<NonNullGraphType<IdGraphType>>>("linkIds", "Links (global id or key).")
            .Argument<ListGraphType<NonNullGraphType<IdGraphType>>>("deviceIds", "Devices (global id, key, or a name where it is unique).")
            .ResolveAsync(async c =>
            {
                var links = ConnectivityInput.Keys(c.GetArgument<List<string>?>("linkIds"), GlobalId.Link, "linkIds");
                var named = c.GetArgument<List<string>?>("deviceIds") ?? [];
                var devices = await DeviceKeysAsync(c, named, [.. named.Select((_, i) => $"deviceIds[{i}]")]);
                var preview = await Grain(c).PreviewFailureAsync(links, [.. devices]);
                return Report(c, preview.Errors, "") ? null : preview;
            });
    }

    /// <summary>Adds <c>intents</c> and <c>intent</c> to the query root.</summary>
    public static void AddStored(ObjectGraphType query)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Field<NonNullGraphType<ConnectionGraphType<IntentGraphType, IntentView>>>("intents")
            .Description("Stored intents matching the filter, by key; a token limited to regions sees those whose endpoints lie in its regions.")
            .Argument<IntentFilterInputGraphType>("filter")
            .PagingArguments()
            .ResolveAsync(async c =>
            {
                var (reader, tenant) = (c.Reader(), c.Tenant());
                var filter = c.GetArgument<IntentFilter?>("filter");
                var query = new IntentQuery(
                    filter?.Kind?.ToString().ToUpperInvariant(),
                    filter?.State?.ApiName(),
                    filter?.RegionId is { } region ? GlobalId.KeyOf(region, GlobalId.Region, "filter.regionId") : null,
                    filter?.DeviceId is { } device ? (await DeviceArguments.ResolveAsync(c, device, "filter.deviceId")).Key : null,
                    c.Scope());
                return await Connections.PageAsync<IntentView>(
                    c, "intent", v => v.Id,
                    async (page, ct) =>
                    {
                        var rows = await reader.ReadIntentsPageAsync(tenant, query, page, ct);
                        return new KeysetResult<IntentView>([.. rows.Rows.Select(r => r.Intent)], rows.HasMore);
                    },
                    ct => reader.CountIntentsAsync(tenant, query, ct));
            });

        query.Field<IntentGraphType>("intent")
            .Description("One intent by global id or key; NOT_FOUND when you see none such.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Resolve(c =>
            {
                var id = c.GetArgument<string>("id");
                return c.Loaders().Intents.Load(GlobalId.KeyOf(id, GlobalId.Intent)).Then(v => v ?? throw PdsnoError.NotFound($"intent '{id}' not found"));
            });
    }

    /// <summary>Adds <c>createIntent</c>, <c>updateIntent</c> and <c>withdrawIntent</c> to the mutation root.</summary>
    public static void AddMutations(ObjectGraphType mutation)
    {
        ArgumentNullException.ThrowIfNull(mutation);
        mutation.Field<NonNullGraphType<IntentPayloadGraphType>>("createIntent")
            .Requires(Abstractions.Security.Roles.Operator)
            .Description("Compiles, stores and installs an intent through a governed change it owns (LOW runs at once; otherwise the intent is PENDING_APPROVAL). Bad input: errors naming the field, nothing stored.")
            .Argument<NonNullGraphType<IntentInputGraphType>>("input")
            .ResolveAsync(async c =>
            {
                var spec = await WithDeviceKeysAsync(c, c.GetArgument<IntentInput>("input").ToSpec(""));
                return await Commands(c).CreateAsync(c.Caller(), spec);
            });

        mutation.Field<NonNullGraphType<IntentPayloadGraphType>>("updateIntent")
            .Requires(Abstractions.Security.Roles.Operator)
            .Description("Replaces an intent's spec (same kind); it is compiled and installed again, its old routes removed.")
            .Argument<NonNullGraphType<UpdateIntentInputGraphType>>("input")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<UpdateIntentInput>("input");
                var spec = await WithDeviceKeysAsync(c, input.Intent.ToSpec(""));
                return await Commands(c).UpdateAsync(c.Caller(), input.Id, spec);
            });

        mutation.Field<NonNullGraphType<IntentPayloadGraphType>>("withdrawIntent")
            .Requires(Abstractions.Security.Roles.Operator)
            .Description("Withdraws an intent: its reservations are freed and its routes removed through a governed change. A compliance intent leaves the devices' config as it is.")
            .Argument<NonNullGraphType<IntentRefInputGraphType>>("input")
            .ResolveAsync(async c => await Commands(c).WithdrawAsync(c.Caller(), c.GetArgument<IntentRefInput>("input").Id));
    }

    private static IntentCommands Commands(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<IntentCommands>();

    // Devices may be named as elsewhere in the API (id, key, or a name unique among the caller's devices).
    internal static async Task<IntentSpec> WithDeviceKeysAsync(IResolveFieldContext c, IntentSpec spec)
    {
        if (spec.Connectivity is not { } connectivity)
        {
            return spec;
        }

        var avoid = connectivity.AvoidDevices.IsDefault ? [] : connectivity.AvoidDevices;
        var texts = new List<string> { connectivity.A.Device, connectivity.B.Device };
        texts.AddRange(avoid);
        var fields = new List<string> { "input.connectivity.a.deviceId", "input.connectivity.b.deviceId" };
        fields.AddRange(avoid.Select((_, i) => $"input.connectivity.avoidDeviceIds[{i}]"));
        var keys = await DeviceKeysAsync(c, texts, fields);
        return spec with
        {
            Connectivity = connectivity with
            {
                A = connectivity.A with { Device = keys[0] },
                B = connectivity.B with { Device = keys[1] },
                AvoidDevices = [.. keys.Skip(2)],
            },
        };
    }

    // The keys of device references, resolved in one statement; one the read model does not know stays as given, so
    // the intent's validation names its field.
    private static async Task<IReadOnlyList<string>> DeviceKeysAsync(IResolveFieldContext c, List<string> texts, List<string> fields)
    {
        if (texts.Count == 0)
        {
            return [];
        }

        var references = texts.Select((t, i) => DeviceArguments.Parse(t, fields[i])).ToList();
        var matches = await DeviceLookup.ResolveAsync(c.Reader(), c.Caller(), references, c.CancellationToken);
        return [.. matches.Select((m, i) => m.Device?.Key ?? (m.IsAmbiguous ? throw PdsnoError.BadUserInput(m.Problem(fields[i])!) : texts[i]))];
    }

    private static IIntentNetworkGrain Grain(IResolveFieldContext c) =>
        c.RequestServices!.GetRequiredService<IGrainFactory>().GetGrain<IIntentNetworkGrain>(c.Tenant());

    // One BAD_USER_INPUT error per bad field, each message starting with the field's input path.
    private static bool Report(IResolveFieldContext c, ImmutableArray<IntentInputError> errors, string prefix)
    {
        foreach (var e in errors)
        {
            var field = prefix + ApiField(e.Field);
            var error = PdsnoError.BadUserInput($"{field}: {e.Message}");
            error.Path = c.Path;
            error.Data["field"] = field;
            c.Errors.Add(error);
        }

        return errors.Length > 0;
    }

    // The intent model names devices, links and regions by key; the API's input fields take ids.
    internal static string ApiField(string field) => field
        .Replace(".device", ".deviceId", StringComparison.Ordinal)
        .Replace("avoidDevices", "avoidDeviceIds", StringComparison.Ordinal)
        .Replace("avoidLinks", "avoidLinkIds", StringComparison.Ordinal)
        .Replace("avoidRegions", "avoidRegionIds", StringComparison.Ordinal)
        .Replace("stayWithinRegions", "stayWithinRegionIds", StringComparison.Ordinal)
        .Replace("compliance.regions", "compliance.regionIds", StringComparison.Ordinal);
}
