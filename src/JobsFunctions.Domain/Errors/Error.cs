namespace JobsFunctions.Domain.Errors;

/// <summary>The kinds of expected failure; each maps to exactly one HTTP status at the API edge.</summary>
public enum ErrorKind
{
    Validation,
    NotFound,
    Conflict,
    Throttled,
    Unavailable,
}

/// <summary>
/// An expected failure as a value: a stable machine code (<c>validation.statusDetails.tooMany</c>), a sentence for
/// people, and the request field it concerns when there is one. Never carries exception text.
/// </summary>
public sealed record Error(ErrorKind Kind, string Code, string Message, string? Field = null)
{
    public static Error Validation(string field, string rule, string message) =>
        new(ErrorKind.Validation, $"validation.{field}.{rule}", message, field);

    public static Error NotFound(string code, string message) => new(ErrorKind.NotFound, code, message);

    public static Error Conflict(string code, string message) => new(ErrorKind.Conflict, code, message);
}
