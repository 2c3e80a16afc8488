namespace Pdsno.GraphQL.Mutations;

/// <summary>Why a mutation did not do what was asked, in terms the caller can act on.</summary>
public enum UserErrorCode
{
    /// <summary>An argument is malformed or out of range.</summary>
    BadUserInput,

    /// <summary>The object named does not exist (or belongs to another tenant).</summary>
    NotFound,

    /// <summary>The change conflicts with the current state (a name in use, a region not empty).</summary>
    Conflict,

    /// <summary>The caller's token does not allow the change.</summary>
    Forbidden,

    /// <summary>The change lacks the approvals its sensitivity needs.</summary>
    NotApproved,

    /// <summary>The change's execution token was redeemed already.</summary>
    TokenSpent,

    /// <summary>The change's execution token expired.</summary>
    TokenExpired,

    /// <summary>The change (or a target device) changed after approval, so the approval no longer holds.</summary>
    EditedAfterApproval,

    /// <summary>A target device is locked by another change (named in the message).</summary>
    DeviceLocked,

    /// <summary>The tenant's emergency changes of the last hour are used up.</summary>
    RateLimited,
}

/// <summary>A typed error in a mutation payload; <see cref="Field"/> is the input path it concerns.</summary>
public sealed record UserError(UserErrorCode Code, string Message, IReadOnlyList<string> Field);

/// <summary>What every command result says, whatever it carries: the errors that stopped it, if any.</summary>
public interface ICommandResult
{
    /// <summary>The errors that stopped the command; empty when it did what was asked.</summary>
    IReadOnlyList<UserError> Errors { get; }
}

/// <summary>A mutation's outcome: the object changed, or the errors that stopped it (never both).</summary>
public sealed record CommandResult<T>(T? Value, IReadOnlyList<UserError> Errors) : ICommandResult
    where T : class;

/// <summary>Builds command results.</summary>
public static class CommandResult
{
    /// <summary>A success.</summary>
    public static CommandResult<T> Ok<T>(T value)
        where T : class => new(value, []);

    /// <summary>A refusal.</summary>
    public static CommandResult<T> Fail<T>(UserErrorCode code, string message, params string[] field)
        where T : class => new(null, [new UserError(code, message, field)]);
}
