using JobsFunctions.Domain.Errors;

namespace JobsFunctions.Domain.Validation;

/// <summary>
/// statusDetails limits (https://docs.aws.amazon.com/iot/latest/apireference/API_iot-jobs-data_UpdateJobExecution.html):
/// at most 10 pairs; keys 1–128 of <c>[a-zA-Z0-9:_-]</c>; values 1–1,024 characters matching <c>[^\p{C}]+</c>.
/// </summary>
public static class StatusDetailsRules
{
    public const int MaxPairs = 10;
    public const int MaxKeyLength = 128;
    public const int MaxValueLength = 1024;

    public static Error? Check(IReadOnlyDictionary<string, string>? details, string field = "statusDetails")
    {
        if (details is null)
        {
            return null;
        }

        if (details.Count > MaxPairs)
        {
            return new Error(ErrorKind.Validation, $"validation.{field}.tooMany",
                $"{field} may hold at most {MaxPairs} name/value pairs (got {details.Count}).", field);
        }

        foreach (var (key, value) in details.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            var keyError = Identifiers.CheckName(key, $"{field}.{(key.Length == 0 ? "\"\"" : key)}", MaxKeyLength, allowColon: true, "[a-zA-Z0-9:_-]+");
            if (keyError is not null)
            {
                return keyError with
                {
                    Code = $"validation.{field}.key",
                    Message = $"{field} key \"{Truncate(key)}\" must be 1–{MaxKeyLength} characters of [a-zA-Z0-9:_-].",
                };
            }

            var valueError = CheckValue(value, $"{field}.{key}");
            if (valueError is not null)
            {
                return valueError with { Code = $"validation.{field}.value" };
            }
        }

        return null;
    }

    /// <summary>
    /// A value must be 1–1,024 characters with no character of Unicode category "Other" (control, format, private
    /// use, unassigned, unpaired surrogate). Checked per code point, as the service's Java regex does, so an emoji
    /// (a valid surrogate pair) is accepted.
    /// </summary>
    public static Error? CheckValue(string? value, string field)
    {
        if (string.IsNullOrEmpty(value))
        {
            return Error.Validation(field, "required", $"{field} must be at least 1 character.");
        }

        if (value.Length > MaxValueLength)
        {
            return Error.Validation(field, "tooLong", $"{field} must be at most {MaxValueLength} characters (got {value.Length}).");
        }

        return UnicodeText.HasOtherCategory(value)
            ? Error.Validation(field, "pattern", $"{field} must not contain control or other non-printable characters.")
            : null;
    }

    private static string Truncate(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "…");
}
