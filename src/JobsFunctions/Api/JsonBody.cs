using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using JobsFunctions.Domain.Errors;
using JobsFunctions.Domain.Operations;

namespace JobsFunctions.Api;

/// <summary>
/// Reads a request body into its type, or says precisely what is wrong with it: not JSON at all, a member the
/// type does not have, a member given twice, or a value of the wrong JSON type — each naming the field by the same
/// path the domain's rules use (<c>abortConfig.criteriaList[0].thresholdPercentage</c>, <c>statusDetails.step</c>).
/// The shape is walked against the serializer's own metadata, so it cannot drift from what is deserialized, and no
/// serializer message (which may be a bare resource key in the trimmed build) ever reaches a response.
/// Whether a member is required, and its ranges, are the domain's business: here every member may be absent.
/// </summary>
internal static class JsonBody
{
    /// <summary>The most significant digits a decimal holds: a number written with more would be silently rounded.</summary>
    private const int DecimalDigits = 28;

    public static Result<T> Read<T>(string? body, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(string.IsNullOrWhiteSpace(body) ? "{}" : body);
        }
        catch (JsonException exception)
        {
            var line = (exception.LineNumber ?? 0) + 1;
            var position = (exception.BytePositionInLine ?? 0) + 1;
            return new Error(ErrorKind.Validation, "validation.body.malformed",
                $"The request body is not valid JSON (line {line}, byte {position}).");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return new Error(ErrorKind.Validation, "validation.body.type", "The request body must be a JSON object.");
            }

            if (Walk(document.RootElement, typeInfo, "") is { } error)
            {
                return error;
            }

            try
            {
                return document.Deserialize(typeInfo)!;
            }
            catch (JsonException exception)
            {
                // The walk mirrors the serializer's rules; should they ever differ, the answer is still a 400.
                var field = exception.Path is { Length: > 2 } path ? path[2..] : null;
                return new Error(ErrorKind.Validation, "validation.body.type", $"{field ?? "The body"} has a value of the wrong type.", field);
            }
        }
    }

    private static Error? Walk(JsonElement element, JsonTypeInfo info, string path)
    {
        if (element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return info.Kind switch
        {
            JsonTypeInfoKind.Object => WalkObject(element, info, path),
            JsonTypeInfoKind.Dictionary => WalkDictionary(element, info, path),
            JsonTypeInfoKind.Enumerable => WalkArray(element, info, path),
            _ => CheckValue(element, Nullable.GetUnderlyingType(info.Type) ?? info.Type, path),
        };
    }

    private static Error? WalkObject(JsonElement element, JsonTypeInfo info, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return WrongType(path, "an object");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in element.EnumerateObject())
        {
            var memberPath = Join(path, member.Name);
            if (!seen.Add(member.Name))
            {
                return Invalid("duplicateField", memberPath, $"{memberPath} is given more than once.");
            }

            var property = info.Properties.FirstOrDefault(candidate => string.Equals(candidate.Name, member.Name, StringComparison.Ordinal));
            if (property is null)
            {
                return Invalid("unknownField", memberPath, $"{memberPath} is not a field of this request.");
            }

            if (Walk(member.Value, info.Options.GetTypeInfo(property.PropertyType), memberPath) is { } error)
            {
                return error;
            }
        }

        return null;
    }

    private static Error? WalkDictionary(JsonElement element, JsonTypeInfo info, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return WrongType(path, "an object");
        }

        var valueInfo = info.Options.GetTypeInfo(info.ElementType!);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in element.EnumerateObject())
        {
            var memberPath = Join(path, member.Name);
            if (!seen.Add(member.Name))
            {
                return Invalid("duplicateField", memberPath, $"{memberPath} is given more than once.");
            }

            if (Walk(member.Value, valueInfo, memberPath) is { } error)
            {
                return error;
            }
        }

        return null;
    }

    private static Error? WalkArray(JsonElement element, JsonTypeInfo info, string path)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            return WrongType(path, "an array");
        }

        var itemInfo = info.Options.GetTypeInfo(info.ElementType!);
        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            if (Walk(item, itemInfo, $"{path}[{index.ToString(CultureInfo.InvariantCulture)}]") is { } error)
            {
                return error;
            }

            index++;
        }

        return null;
    }

    private static Error? CheckValue(JsonElement element, Type type, string path)
    {
        if (type == typeof(string))
        {
            return element.ValueKind == JsonValueKind.String ? null : WrongType(path, "a string");
        }

        if (type == typeof(bool))
        {
            return element.ValueKind is JsonValueKind.True or JsonValueKind.False ? null : WrongType(path, "true or false");
        }

        if (type == typeof(int))
        {
            return element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out _)
                ? null
                : WrongType(path, $"a whole number from {int.MinValue} to {int.MaxValue}");
        }

        if (type == typeof(long))
        {
            return element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out _)
                ? null
                : WrongType(path, "a whole number");
        }

        if (type == typeof(decimal))
        {
            return element.ValueKind == JsonValueKind.Number && element.TryGetDecimal(out _) && SignificantDigits(element.GetRawText()) <= DecimalDigits
                ? null
                : WrongType(path, $"a number of at most {DecimalDigits} significant digits");
        }

        throw new InvalidOperationException($"The request body type has a member of type {type.Name}, which the body reader does not know.");
    }

    /// <summary>Digits of the mantissa as written, without the leading and trailing zeros that carry no precision.</summary>
    private static int SignificantDigits(string number)
    {
        var digits = new StringBuilder();
        foreach (var c in number)
        {
            if (c is 'e' or 'E')
            {
                break;
            }

            if (char.IsAsciiDigit(c))
            {
                digits.Append(c);
            }
        }

        return digits.ToString().Trim('0').Length;
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static Error WrongType(string path, string expected) =>
        Invalid("type", path, $"{path} must be {expected}.");

    private static Error Invalid(string rule, string field, string message) =>
        new(ErrorKind.Validation, $"validation.body.{rule}", message, field);
}
