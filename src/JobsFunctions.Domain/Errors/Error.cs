using JobsFunctions.Domain.Executions;

namespace JobsFunctions.Domain.Errors;

/// <summary>The kinds of expected failure; each maps to exactly one HTTP status at the API edge.</summary>
public enum ErrorKind
{
    Validation,
    NotFound,
    Conflict,
    Throttled,
    Unavailable,

    /// <summary>The request was conditional (HTTP <c>If-Match</c>) and the condition no longer holds.</summary>
    PreconditionFailed,

    /// <summary>
    /// A service this product depends on refused it or answered in a way it cannot act on: AWS turning down the
    /// function's own credentials (access denied, a bad signature, an expired token), or an AWS error code no
    /// operation here expects. Not the caller's fault and not fixed by waiting; the code names AWS's.
    /// </summary>
    Dependency,
}

/// <summary>
/// An expected failure as a value: a stable machine code (<c>validation.statusDetails.tooMany</c>), a sentence for
/// people, and the request field it concerns when there is one. Never carries exception text.
/// </summary>
public sealed record Error(ErrorKind Kind, string Code, string Message, string? Field = null)
{
    /// <summary>For <see cref="ErrorKind.Throttled"/>: how long the caller should wait, when the service said so.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>For <see cref="ErrorKind.Conflict"/> on an execution: its state at the time, when known.</summary>
    public ExecutionState? CurrentState { get; init; }

    public static Error Validation(string field, string rule, string message) =>
        new(ErrorKind.Validation, $"validation.{field}.{rule}", message, field);

    public static Error NotFound(string code, string message) => new(ErrorKind.NotFound, code, message);

    public static Error Conflict(string code, string message) => new(ErrorKind.Conflict, code, message);

    public static Error Conflict(string code, string message, ExecutionState? currentState) =>
        new(ErrorKind.Conflict, code, message) { CurrentState = currentState };

    public static Error Throttled(string code, string message, TimeSpan? retryAfter) =>
        new(ErrorKind.Throttled, code, message) { RetryAfter = retryAfter };

    public static Error Unavailable(string code, string message) => new(ErrorKind.Unavailable, code, message);

    public static Error PreconditionFailed(string code, string message) => new(ErrorKind.PreconditionFailed, code, message);

    public static Error Dependency(string code, string message) => new(ErrorKind.Dependency, code, message);
}
