using System.Globalization;
using System.Text;
using JobsFunctions.Domain.Errors;
using JobsFunctions.Domain.Validation;

namespace JobsFunctions.Domain.Operations;

/// <summary>
/// The checks the operation validators are made of. Each returns null when the value passes, and an absent (null)
/// value always passes: whether a member is required is said separately with <see cref="Required"/>.
/// </summary>
internal static class FieldRules
{
    /// <summary>
    /// A validation error on <paramref name="field"/> (the exact path, <c>abortConfig.criteriaList[1].action</c>).
    /// The code leaves list indices out so it stays the same whichever item is wrong:
    /// <c>validation.abortConfig.criteriaList.action.invalid</c>.
    /// </summary>
    public static Error Invalid(string field, string rule, string message) =>
        new(ErrorKind.Validation, $"validation.{WithoutIndices(field)}.{rule}", message, field);

    public static Error? Required(object? value, string field) =>
        value is null ? Invalid(field, "required", $"{field} is required.") : null;

    public static Error? Range(long? value, string field, long min, long max)
    {
        if (value is not { } number)
        {
            return null;
        }

        if (number < min)
        {
            return Invalid(field, "tooSmall", $"{field} must be at least {min} (got {number}).");
        }

        return number > max ? Invalid(field, "tooLarge", $"{field} must be at most {max} (got {number}).") : null;
    }

    /// <summary>
    /// A range and a limit on decimal places, checked on the decimal the JSON text was read into: no binary
    /// rounding, so 1.1 is exactly 1.1. Places are counted on the value, so 1.50 has one (it is the number 1.5,
    /// and what AWS receives as a double either way).
    /// </summary>
    public static Error? Range(decimal? value, string field, decimal min, decimal max, int maxDecimalPlaces)
    {
        if (value is not { } number)
        {
            return null;
        }

        var shown = number.ToString("G29", CultureInfo.InvariantCulture);
        if (number < min)
        {
            return Invalid(field, "tooSmall", $"{field} must be at least {Show(min)} (got {shown}).");
        }

        if (number > max)
        {
            return Invalid(field, "tooLarge", $"{field} must be at most {Show(max)} (got {shown}).");
        }

        return decimal.Round(number, maxDecimalPlaces) != number
            ? Invalid(field, "decimals", $"{field} may have at most {maxDecimalPlaces} decimal place{(maxDecimalPlaces == 1 ? "" : "s")} (got {shown}).")
            : null;
    }

    public static Error? OneOf(string? value, string field, IReadOnlyList<string> allowed)
    {
        if (value is null || allowed.Contains(value, StringComparer.Ordinal))
        {
            return null;
        }

        return Invalid(field, "invalid", $"{field} must be one of {string.Join(", ", allowed)}.");
    }

    public static Error? Length(string? value, string field, int min, int max)
    {
        if (value is null)
        {
            return null;
        }

        if (value.Length < min)
        {
            return Invalid(field, "tooShort", $"{field} must be at least {min} characters (got {value.Length}).");
        }

        return value.Length > max ? Invalid(field, "tooLong", $"{field} must be at most {max} characters (got {value.Length}).") : null;
    }

    /// <summary>Free text as the IoT model has it: <c>[^\p{C}]+</c> (so at least one character), at most <paramref name="maxLength"/>.</summary>
    public static Error? Text(string? value, string field, int maxLength)
    {
        if (Length(value, field, 1, maxLength) is { } lengthError)
        {
            return lengthError;
        }

        return value is not null && UnicodeText.HasOtherCategory(value)
            ? Invalid(field, "pattern", $"{field} must not contain control or other non-printable characters.")
            : null;
    }

    /// <summary>The first error of a list's items, each checked with its index in the path.</summary>
    public static Error? Items<T>(IReadOnlyList<T?> items, string field, Func<T, string, Error?> check)
        where T : class
    {
        for (var index = 0; index < items.Count; index++)
        {
            var path = $"{field}[{index.ToString(CultureInfo.InvariantCulture)}]";
            var error = items[index] is { } item ? check(item, path) : Required(null, path);
            if (error is not null)
            {
                return error;
            }
        }

        return null;
    }

    private static string Show(decimal value) => value.ToString("G29", CultureInfo.InvariantCulture);

    private static string WithoutIndices(string field)
    {
        var code = new StringBuilder(field.Length);
        var inIndex = false;
        foreach (var c in field)
        {
            if (c == '[')
            {
                inIndex = true;
            }
            else if (c == ']' && inIndex)
            {
                inIndex = false;
            }
            else if (!inIndex)
            {
                code.Append(c);
            }
        }

        return code.ToString();
    }
}
