using GraphQL;
using Pdsno.GraphQL.Errors;
using Pdsno.GraphQL.Relay;
using Pdsno.Storage.ReadModel;

namespace Pdsno.GraphQL.Loading;

/// <summary>
/// Arguments that take a device (a global id, a key, or a name where it is unique among the devices the caller may
/// see), turned into the device or into an error that names the argument.
/// </summary>
public static class DeviceArguments
{
    /// <summary>The reference <paramref name="text"/> makes; <c>BAD_USER_INPUT</c> for a global id of something else.</summary>
    public static DeviceRef Parse(string text, string argument)
    {
        if (!DeviceRef.TryParse(text, out var reference))
        {
            // Throws the error that says what kind of id it is.
            GlobalId.KeyOf(text, GlobalId.Device, argument);
        }

        return reference;
    }

    /// <summary>The device matched, or <c>NOT_FOUND</c> / <c>BAD_USER_INPUT</c> (a name in several regions) naming <paramref name="argument"/>.</summary>
    public static DeviceRecord Require(this DeviceMatch? match, string argument, string hint = "give the device's id instead")
    {
        ArgumentNullException.ThrowIfNull(match);
        if (match.Device is { } device)
        {
            return device;
        }

        var message = match.Problem(argument, hint)!;
        throw match.IsAmbiguous ? PdsnoError.BadUserInput(message) : PdsnoError.NotFound(message);
    }

    /// <summary>Resolves one device argument now (one statement), for resolvers that need the key before they read.</summary>
    public static async Task<DeviceRecord> ResolveAsync(IResolveFieldContext context, string text, string argument)
    {
        ArgumentNullException.ThrowIfNull(context);
        var match = await DeviceLookup.ResolveAsync(context.Reader(), context.Caller(), Parse(text, argument), context.CancellationToken);
        return match.Require(argument);
    }
}
