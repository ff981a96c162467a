using JobsFunctions.Domain.Errors;

namespace JobsFunctions.Domain.Validation;

/// <summary>
/// Identifier rules from the IoT model: jobId 1–64 of <c>[a-zA-Z0-9_-]</c>, thingName 1–128 of <c>[a-zA-Z0-9:_-]</c>,
/// namespaceId any length of <c>[a-zA-Z0-9_-]</c>. Patterns are validated as whole-string matches.
/// </summary>
public static class Identifiers
{
    public const int JobIdMaxLength = 64;
    public const int ThingNameMaxLength = 128;

    public static Error? CheckJobId(string? value, string field = "jobId") =>
        CheckName(value, field, JobIdMaxLength, allowColon: false, "[a-zA-Z0-9_-]+");

    public static Error? CheckThingName(string? value, string field = "thingName") =>
        CheckName(value, field, ThingNameMaxLength, allowColon: true, "[a-zA-Z0-9:_-]+");

    public static Error? CheckNamespaceId(string? value, string field = "namespaceId") =>
        CheckName(value, field, int.MaxValue, allowColon: false, "[a-zA-Z0-9_-]+");

    public static bool IsJobId(string? value) => CheckJobId(value) is null;

    public static bool IsThingName(string? value) => CheckThingName(value) is null;

    /// <summary>The characters of <c>[a-zA-Z0-9_-]</c>, plus <c>:</c> when allowed (thing names, statusDetails keys).</summary>
    public static bool IsNameChar(char c, bool allowColon) =>
        char.IsAsciiLetterOrDigit(c) || c is '_' or '-' || (allowColon && c == ':');

    internal static Error? CheckName(string? value, string field, int maxLength, bool allowColon, string pattern)
    {
        if (string.IsNullOrEmpty(value))
        {
            return Error.Validation(field, "required", $"{field} is required and must be at least 1 character.");
        }

        if (value.Length > maxLength)
        {
            return Error.Validation(field, "tooLong", $"{field} must be at most {maxLength} characters (got {value.Length}).");
        }

        foreach (var c in value)
        {
            if (!IsNameChar(c, allowColon))
            {
                return Error.Validation(field, "pattern", $"{field} must match {pattern}.");
            }
        }

        return null;
    }
}
