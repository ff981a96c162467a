using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Operations;
using JobsFunctions.Domain.Validation;
using JobsFunctions.Emulator.Model;

namespace JobsFunctions.Emulator.Http;

/// <summary>
/// Reads and validates request members as the iot and iot-jobs-data models constrain them (lengths, patterns,
/// ranges, enums, required members): anything else is an InvalidRequestException naming the member and the rule,
/// never a 500. Unknown body members are ignored, as rest-json services do.
/// </summary>
internal static partial class WireInput
{
    public const int MaxDocumentLength = 32768;
    public const int MaxDescriptionLength = 2028;
    public const int MaxStatusDetails = 10;
    public const int MaxDetailsValueLength = 1024;
    public const long MaxTimeoutMinutes = 10080;

    public static readonly IReadOnlyList<string> ExecutionStatusNames = ExecutionStatuses.All.Select(s => s.ToWire()).ToList();

    [GeneratedRegex("^[a-zA-Z0-9_-]+$")]
    private static partial Regex JobIdPattern();

    [GeneratedRegex("^[a-zA-Z0-9:_-]+$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^[\p{Lu}\p{Nd}_]+$")]
    private static partial Regex ReasonCodePattern();

    public static JsonObject Body(byte[] body)
    {
        if (body.Length == 0)
        {
            return [];
        }

        try
        {
            return JsonNode.Parse(body) as JsonObject ?? throw Invalid("The request body must be a JSON object.");
        }
        catch (JsonException)
        {
            throw new EmulatorException(ErrorCodes.Serialization, "The request body is not valid JSON.");
        }
    }

    public static string JobId(string? value, string member = "jobId") => Pattern(Required(value, member), member, 1, 64, JobIdPattern(), "[a-zA-Z0-9_-]+");

    public static string ThingName(string? value, string member = "thingName") => Pattern(Required(value, member), member, 1, 128, NamePattern(), "[a-zA-Z0-9:_-]+");

    public static string GroupName(string? value, string member = "thingGroupName") => Pattern(Required(value, member), member, 1, 128, NamePattern(), "[a-zA-Z0-9:_-]+");

    public static string? Description(string? value, string member = "description") =>
        value is null ? null : Printable(value, member, 0, MaxDescriptionLength);

    public static string? ReasonCode(string? value) => value is null ? null : Pattern(value, "reasonCode", 0, 128, ReasonCodePattern(), @"[\p{Upper}\p{Digit}_]+", allowEmpty: true);

    public static string Document(string? value)
    {
        var document = value ?? throw Invalid("document is required: the emulator serves no documentSource (it cannot read S3); pass the document itself.");
        return document.Length <= MaxDocumentLength ? document : throw Invalid($"document is {document.Length} characters long; at most {MaxDocumentLength}.");
    }

    public static int MaxResults(string? text) =>
        text is null ? 250 : (int)Range(Long(text, "maxResults"), "maxResults", 1, 250);

    public static bool Flag(string? text, string member) => text switch
    {
        null => false,
        "true" => true,
        "false" => false,
        _ => throw Invalid($"{member} must be true or false, got '{text}'."),
    };

    public static long Long(string text, string member) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Invalid($"{member} must be an integer, got '{text}'.");

    public static ExecutionStatus? ExecutionStatus(string? text, string member = "status") =>
        text is null ? null
        : ExecutionStatuses.TryParse(text, out var status) ? status
        : throw Invalid($"{member} must be one of {string.Join(", ", ExecutionStatusNames)}, got '{text}'.");

    public static EmulatedJobStatus? JobStatus(string? text) => text switch
    {
        null => null,
        "IN_PROGRESS" => EmulatedJobStatus.InProgress,
        "CANCELED" => EmulatedJobStatus.Canceled,
        "COMPLETED" => EmulatedJobStatus.Completed,
        "DELETION_IN_PROGRESS" => EmulatedJobStatus.DeletionInProgress,
        "SCHEDULED" => null,
        _ => throw Invalid($"status must be one of IN_PROGRESS, CANCELED, COMPLETED, DELETION_IN_PROGRESS, SCHEDULED, got '{text}'."),
    };

    public static TargetSelection? Selection(string? text) => text switch
    {
        null => null,
        "SNAPSHOT" => TargetSelection.Snapshot,
        "CONTINUOUS" => TargetSelection.Continuous,
        _ => throw Invalid($"targetSelection must be SNAPSHOT or CONTINUOUS, got '{text}'."),
    };

    // ---- body members ----

    public static string? String(JsonObject body, string member, string? path = null)
    {
        var node = body[member];
        if (node is null)
        {
            return null;
        }

        return node is JsonValue value && value.GetValueKind() == JsonValueKind.String
            ? value.GetValue<string>()
            : throw Invalid($"{path ?? member} must be a string.");
    }

    public static long? Number(JsonObject body, string member, string? path = null)
    {
        var node = body[member];
        if (node is null)
        {
            return null;
        }

        return node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<long>(out var number)
            ? number
            : throw Invalid($"{path ?? member} must be an integer.");
    }

    public static double? Double(JsonObject body, string member, string path)
    {
        var node = body[member];
        if (node is null)
        {
            return null;
        }

        return node is JsonValue value && value.GetValueKind() == JsonValueKind.Number ? value.GetValue<double>() : throw Invalid($"{path} must be a number.");
    }

    public static bool? Boolean(JsonObject body, string member)
    {
        var node = body[member];
        if (node is null)
        {
            return null;
        }

        return node.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Invalid($"{member} must be true or false."),
        };
    }

    public static JsonObject? Object(JsonObject body, string member, string? path = null) =>
        body[member] switch
        {
            null => null,
            JsonObject value => value,
            _ => throw Invalid($"{path ?? member} must be an object."),
        };

    public static JsonArray? Array(JsonObject body, string member, string? path = null) =>
        body[member] switch
        {
            null => null,
            JsonArray value => value,
            _ => throw Invalid($"{path ?? member} must be a list."),
        };

    /// <summary>statusDetails: at most 10 pairs, keys [a-zA-Z0-9:_-]+ (1–128), values [^\p{C}]+ of 1–1024 characters.</summary>
    public static Dictionary<string, string>? StatusDetails(JsonObject? details, string path)
    {
        if (details is null)
        {
            return null;
        }

        if (details.Count > MaxStatusDetails)
        {
            throw Invalid($"{path} has {details.Count} entries; at most {MaxStatusDetails}.");
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, node) in details)
        {
            Pattern(key, $"{path} key '{key}'", 1, 128, NamePattern(), "[a-zA-Z0-9:_-]+");
            var value = node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : throw Invalid($"{path}.{key} must be a string.");
            map[key] = Printable(value, $"{path}.{key}", 1, MaxDetailsValueLength);
        }

        return map;
    }

    /// <summary>stepTimeoutInMinutes: 1 to 10080, and -1 (drop the step timer) where <paramref name="allowCancel"/>.</summary>
    public static long? StepTimeout(long? minutes, bool allowCancel) =>
        minutes switch
        {
            null => null,
            -1 when allowCancel => -1,
            _ => Range(minutes.Value, "stepTimeoutInMinutes", 1, MaxTimeoutMinutes, allowCancel ? " (or -1 to cancel the step timer)" : ""),
        };

    public static long? InProgressTimeout(JsonObject body)
    {
        var timeout = Object(body, "timeoutConfig");
        return timeout is null || Number(timeout, "inProgressTimeoutInMinutes", "timeoutConfig.inProgressTimeoutInMinutes") is not { } minutes
            ? null
            : Range(minutes, "timeoutConfig.inProgressTimeoutInMinutes", 1, MaxTimeoutMinutes);
    }

    public static RolloutConfig? Rollout(JsonObject body)
    {
        if (Object(body, "jobExecutionsRolloutConfig") is not { } rollout)
        {
            return null;
        }

        const string path = "jobExecutionsRolloutConfig";
        var maximum = Number(rollout, "maximumPerMinute", $"{path}.maximumPerMinute") is { } max
            ? (int)Range(max, $"{path}.maximumPerMinute", 1, 1000)
            : (int?)null;
        ExponentialRate? exponential = null;
        if (Object(rollout, "exponentialRate", $"{path}.exponentialRate") is { } rate)
        {
            var ratePath = $"{path}.exponentialRate";
            var baseRate = (int)Range(
                Number(rate, "baseRatePerMinute", $"{ratePath}.baseRatePerMinute") ?? throw Invalid($"{ratePath}.baseRatePerMinute is required."),
                $"{ratePath}.baseRatePerMinute", 1, 1000);
            var factor = Double(rate, "incrementFactor", $"{ratePath}.incrementFactor") ?? throw Invalid($"{ratePath}.incrementFactor is required.");
            if (factor is < 1.1 or > 5 || Math.Abs(Math.Round(factor, 1) - factor) > 1e-9)
            {
                throw Invalid($"{ratePath}.incrementFactor must be from 1.1 to 5 with at most one decimal digit, got {factor.ToString(CultureInfo.InvariantCulture)}.");
            }

            var criteria = Object(rate, "rateIncreaseCriteria", $"{ratePath}.rateIncreaseCriteria")
                ?? throw Invalid($"{ratePath}.rateIncreaseCriteria is required.");
            var notified = Number(criteria, "numberOfNotifiedThings", $"{ratePath}.rateIncreaseCriteria.numberOfNotifiedThings");
            var succeeded = Number(criteria, "numberOfSucceededThings", $"{ratePath}.rateIncreaseCriteria.numberOfSucceededThings");
            if (notified is null && succeeded is null)
            {
                throw Invalid($"{ratePath}.rateIncreaseCriteria needs numberOfNotifiedThings or numberOfSucceededThings.");
            }

            exponential = new ExponentialRate(
                baseRate,
                factor,
                notified is { } n ? (int)Range(n, $"{ratePath}.rateIncreaseCriteria.numberOfNotifiedThings", 1, int.MaxValue) : null,
                succeeded is { } s ? (int)Range(s, $"{ratePath}.rateIncreaseCriteria.numberOfSucceededThings", 1, int.MaxValue) : null);
        }

        return new RolloutConfig(maximum, exponential);
    }

    public static List<JobAbortCriterion>? Abort(JsonObject body)
    {
        if (Object(body, "abortConfig") is not { } abort)
        {
            return null;
        }

        var list = Array(abort, "criteriaList", "abortConfig.criteriaList") ?? throw Invalid("abortConfig.criteriaList is required.");
        if (list.Count == 0)
        {
            throw Invalid("abortConfig.criteriaList needs at least one criterion.");
        }

        var criteria = new List<JobAbortCriterion>();
        for (var i = 0; i < list.Count; i++)
        {
            var path = $"abortConfig.criteriaList[{i}]";
            var item = list[i] as JsonObject ?? throw Invalid($"{path} must be an object.");
            var failureType = OneOf(String(item, "failureType", $"{path}.failureType"), $"{path}.failureType", ["FAILED", "REJECTED", "TIMED_OUT", "ALL"]);
            var action = OneOf(String(item, "action", $"{path}.action"), $"{path}.action", ["CANCEL"]);
            var threshold = Double(item, "thresholdPercentage", $"{path}.thresholdPercentage") ?? throw Invalid($"{path}.thresholdPercentage is required.");
            if (threshold is < 0 or > 100 || Math.Abs(Math.Round(threshold, 2) - threshold) > 1e-9)
            {
                throw Invalid($"{path}.thresholdPercentage must be from 0 to 100 with at most two decimal digits.");
            }

            var minimum = Number(item, "minNumberOfExecutedThings", $"{path}.minNumberOfExecutedThings")
                ?? throw Invalid($"{path}.minNumberOfExecutedThings is required.");
            criteria.Add(new JobAbortCriterion(failureType, action, threshold, (int)Range(minimum, $"{path}.minNumberOfExecutedThings", 1, int.MaxValue)));
        }

        return criteria;
    }

    public static List<RetryCriterion>? Retry(JsonObject body)
    {
        if (Object(body, "jobExecutionsRetryConfig") is not { } retry)
        {
            return null;
        }

        var list = Array(retry, "criteriaList", "jobExecutionsRetryConfig.criteriaList") ?? throw Invalid("jobExecutionsRetryConfig.criteriaList is required.");
        if (list.Count is < 1 or > 2)
        {
            throw Invalid($"jobExecutionsRetryConfig.criteriaList must have 1 or 2 criteria, got {list.Count}.");
        }

        var criteria = new List<RetryCriterion>();
        for (var i = 0; i < list.Count; i++)
        {
            var path = $"jobExecutionsRetryConfig.criteriaList[{i}]";
            var item = list[i] as JsonObject ?? throw Invalid($"{path} must be an object.");
            var failureType = OneOf(String(item, "failureType", $"{path}.failureType"), $"{path}.failureType", ["FAILED", "TIMED_OUT", "ALL"]);
            var retries = Number(item, "numberOfRetries", $"{path}.numberOfRetries") ?? throw Invalid($"{path}.numberOfRetries is required.");
            criteria.Add(new RetryCriterion(failureType, (int)Range(retries, $"{path}.numberOfRetries", 0, 10)));
        }

        if (criteria.Select(c => c.FailureType).Distinct(StringComparer.Ordinal).Count() != criteria.Count)
        {
            throw Invalid("jobExecutionsRetryConfig.criteriaList names a failureType twice.");
        }

        return criteria;
    }

    public static PresignedUrlConfig? Presigned(JsonObject body)
    {
        if (Object(body, "presignedUrlConfig") is not { } presigned)
        {
            return null;
        }

        var role = String(presigned, "roleArn", "presignedUrlConfig.roleArn");
        if (role is { Length: < 20 or > 2048 })
        {
            throw Invalid("presignedUrlConfig.roleArn must be 20 to 2048 characters long.");
        }

        var expires = Number(presigned, "expiresInSec", "presignedUrlConfig.expiresInSec") is { } seconds
            ? Range(seconds, "presignedUrlConfig.expiresInSec", 60, 3600)
            : (long?)null;
        return new PresignedUrlConfig(role, expires);
    }

    // ---- rules ----

    public static EmulatorException Invalid(string message) => EmulatorException.Invalid(message);

    public static string Required(string? value, string member) => value ?? throw Invalid($"{member} is required.");

    public static long Range(long value, string member, long min, long max, string note = "") =>
        value >= min && value <= max ? value : throw Invalid($"{member} must be from {min} to {max}{note}, got {value}.");

    public static string OneOf(string? value, string member, IReadOnlyList<string> allowed) =>
        value is null ? throw Invalid($"{member} is required.")
        : allowed.Contains(value) ? value
        : throw Invalid($"{member} must be one of {string.Join(", ", allowed)}, got '{value}'.");

    private static string Pattern(string value, string member, int min, int max, Regex pattern, string shown, bool allowEmpty = false)
    {
        if (value.Length < min || value.Length > max)
        {
            throw Invalid($"{member} must be {min} to {max} characters long, got {value.Length}.");
        }

        return (allowEmpty && value.Length == 0) || pattern.IsMatch(value) ? value : throw Invalid($"{member} must match {shown}.");
    }

    /// <summary>
    /// The model's <c>[^\p{C}]+</c> as AWS (Java) reads it, by code point: the domain's one check, so an emoji passes
    /// and a control or format character does not.
    /// </summary>
    private static string Printable(string value, string member, int min, int max)
    {
        if (value.Length < min || value.Length > max)
        {
            throw Invalid($"{member} must be {min} to {max} characters long, got {value.Length}.");
        }

        return !UnicodeText.HasOtherCategory(value) ? value : throw Invalid($"{member} must match [^\\p{{C}}]+.");
    }
}
