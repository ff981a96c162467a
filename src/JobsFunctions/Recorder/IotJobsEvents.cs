using System.Text.Json;
using System.Text.Json.Serialization;
using JobsFunctions.Aws.Iot;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Jobs;
using JobsFunctions.Domain.Validation;

namespace JobsFunctions.Recorder;

/// <summary>
/// The AWS IoT Jobs event payloads as an IoT rule's <c>SELECT *</c> delivers them
/// (https://docs.aws.amazon.com/iot/latest/developerguide/events-jobs.html). Every member is optional here: what is
/// missing is decided in <see cref="IotJobsEvents.Parse"/>, which names the reason.
/// </summary>
internal sealed class JobsEventPayload
{
    public string? EventType { get; set; }

    public string? EventId { get; set; }

    public JsonElement? Timestamp { get; set; }

    public string? Operation { get; set; }

    public string? JobId { get; set; }

    public string? ThingArn { get; set; }

    public string? ThingName { get; set; }

    public string? Status { get; set; }

    public Dictionary<string, JsonElement>? StatusDetails { get; set; }

    public long? VersionNumber { get; set; }

    public long? ExecutionNumber { get; set; }

    public string? TargetSelection { get; set; }

    public List<string>? Targets { get; set; }

    public string? Description { get; set; }

    public string? Comment { get; set; }

    public string? ReasonCode { get; set; }

    public JsonElement? CreatedAt { get; set; }

    public JsonElement? CompletedAt { get; set; }

    public Dictionary<string, JsonElement>? JobProcessDetails { get; set; }
}

/// <summary>A parsed event: an execution observation, a job observation, or the reason it cannot be recorded.</summary>
internal abstract record ParsedEvent
{
    private ParsedEvent()
    {
    }

    public sealed record Execution(ExecutionObservation Observation) : ParsedEvent;

    public sealed record Job(JobObservation Observation) : ParsedEvent;

    public sealed record Malformed(string Reason, string? EventId, string? JobId) : ParsedEvent;
}

internal static class IotJobsEvents
{
    /// <summary>Above this an epoch number is milliseconds: 10^11 seconds is the year 5138.</summary>
    private const double MillisecondsThreshold = 1e11;

    public static ParsedEvent Parse(ReadOnlySpan<byte> json)
    {
        JobsEventPayload? payload;
        try
        {
            payload = JsonSerializer.Deserialize(json, FunctionsJsonContext.Default.JobsEventPayload);
        }
        catch (JsonException e)
        {
            return new ParsedEvent.Malformed($"not a JSON object of the expected shape ({e.Path ?? "$"})", null, null);
        }
        catch (InvalidOperationException)
        {
            // System.Text.Json refuses to turn an escaped unpaired surrogate ("\ud800") into a .NET string this way.
            return new ParsedEvent.Malformed("a text value is not valid UTF-16 (an unpaired surrogate)", null, null);
        }

        if (payload is null)
        {
            return new ParsedEvent.Malformed("empty event", null, null);
        }

        // Nothing that cannot be written as UTF-8 may reach the store or the log line: such text would fail the
        // DynamoDB request or the log writer, so the invocation, on every retry.
        if (FirstInvalidText(payload) is { } field)
        {
            return new ParsedEvent.Malformed(
                $"{field} is not valid UTF-16 text (an unpaired surrogate)",
                IsValidText(payload.EventId) ? payload.EventId : null,
                IsValidText(payload.JobId) ? payload.JobId : null);
        }

        if (string.IsNullOrEmpty(payload.EventId))
        {
            return Malformed("eventId is missing");
        }

        if (Identifiers.CheckJobId(payload.JobId) is { } jobIdError)
        {
            return Malformed(jobIdError.Message);
        }

        if (!TryReadTime(payload.Timestamp, out var occurredAt))
        {
            return Malformed("timestamp is missing or not an epoch number");
        }

        return payload.EventType switch
        {
            "JOB_EXECUTION" => ParseExecution(payload, occurredAt),
            "JOB" => ParseJob(payload, occurredAt),
            _ => Malformed($"eventType '{payload.EventType}' is neither JOB_EXECUTION nor JOB"),
        };

        ParsedEvent Malformed(string reason) => new ParsedEvent.Malformed(reason, payload.EventId, payload.JobId);
    }

    private static ParsedEvent ParseExecution(JobsEventPayload payload, DateTimeOffset occurredAt)
    {
        var thingName = payload.ThingName ?? ThingArns.ThingName(payload.ThingArn);
        if (Identifiers.CheckThingName(thingName) is { } thingError)
        {
            return new ParsedEvent.Malformed($"thing name not found in thingArn '{payload.ThingArn}': {thingError.Message}", payload.EventId, payload.JobId);
        }

        if (!ExecutionStatuses.TryParse(payload.Status, out var status))
        {
            return new ParsedEvent.Malformed($"status '{payload.Status}' is not a job-execution status", payload.EventId, payload.JobId);
        }

        var details = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in payload.StatusDetails ?? [])
        {
            if (key.Length == 0)
            {
                return new ParsedEvent.Malformed("statusDetails has an empty key", payload.EventId, payload.JobId);
            }

            if (value.ValueKind != JsonValueKind.String)
            {
                return new ParsedEvent.Malformed($"statusDetails.{key} is not a string", payload.EventId, payload.JobId);
            }

            if (!TryGetText(value, out var text))
            {
                return new ParsedEvent.Malformed($"statusDetails.{key} is not valid UTF-16 text (an unpaired surrogate)", payload.EventId, payload.JobId);
            }

            details[key] = text;
        }

        return new ParsedEvent.Execution(new ExecutionObservation(
            payload.JobId!, thingName!, status, details, ObservationSource.Event, payload.EventId!, occurredAt,
            payload.VersionNumber, payload.ExecutionNumber));
    }

    private static ParsedEvent ParseJob(JobsEventPayload payload, DateTimeOffset occurredAt)
    {
        if (!JobStatuses.TryParse(payload.Status, out var status))
        {
            return new ParsedEvent.Malformed($"status '{payload.Status}' is not a job status", payload.EventId, payload.JobId);
        }

        if (payload.Targets?.IndexOf(null!) is >= 0 and var index)
        {
            return new ParsedEvent.Malformed($"targets[{index}] is null", payload.EventId, payload.JobId);
        }

        Dictionary<string, long>? reported = null;
        if (payload.JobProcessDetails is { } details)
        {
            reported = details
                .Where(pair => pair.Key.Length > 0 && pair.Value.ValueKind == JsonValueKind.Number && pair.Value.TryGetInt64(out _))
                .ToDictionary(pair => pair.Key, pair => pair.Value.GetInt64(), StringComparer.Ordinal);
        }

        return new ParsedEvent.Job(new JobObservation(
            payload.JobId!,
            status,
            payload.EventId!,
            occurredAt,
            payload.Comment,
            payload.ReasonCode,
            payload.Description,
            payload.TargetSelection,
            payload.Targets,
            TryReadTime(payload.CreatedAt, out var createdAt) ? createdAt : null,
            TryReadTime(payload.CompletedAt, out var completedAt) ? completedAt : null,
            reported));
    }

    /// <summary>The first member whose text holds an unpaired surrogate, by name; null when all are valid.</summary>
    private static string? FirstInvalidText(JobsEventPayload payload)
    {
        (string Name, string? Value)[] members =
        [
            ("eventType", payload.EventType), ("eventId", payload.EventId), ("operation", payload.Operation), ("jobId", payload.JobId),
            ("thingArn", payload.ThingArn), ("thingName", payload.ThingName), ("status", payload.Status),
            ("targetSelection", payload.TargetSelection), ("description", payload.Description), ("comment", payload.Comment),
            ("reasonCode", payload.ReasonCode),
        ];
        foreach (var (name, value) in members)
        {
            if (!IsValidText(value))
            {
                return name;
            }
        }

        if (payload.Targets?.FindIndex(target => !IsValidText(target)) is >= 0 and var target)
        {
            return $"targets[{target}]";
        }

        return payload.StatusDetails?.Keys.Any(key => !IsValidText(key)) == true ? "a statusDetails key"
            : payload.JobProcessDetails?.Keys.Any(key => !IsValidText(key)) == true ? "a jobProcessDetails key"
            : null;
    }

    /// <summary>Text whose every surrogate is paired (null counts as valid: absence is judged elsewhere).</summary>
    internal static bool IsValidText(string? text)
    {
        if (text is null)
        {
            return true;
        }

        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><see cref="JsonElement.GetString"/> throws on an escaped unpaired surrogate; this says no instead.</summary>
    private static bool TryGetText(JsonElement value, out string text)
    {
        try
        {
            text = value.GetString()!;
            return IsValidText(text);
        }
        catch (InvalidOperationException)
        {
            text = "";
            return false;
        }
    }

    /// <summary>Epoch seconds or milliseconds (the docs show both), as a JSON number or a numeric string.</summary>
    public static bool TryReadTime(JsonElement? element, out DateTimeOffset time)
    {
        time = default;
        double value;
        switch (element)
        {
            case { ValueKind: JsonValueKind.Number } number when number.TryGetDouble(out value):
                break;
            case { ValueKind: JsonValueKind.String } text when TryGetText(text, out var digits)
                && double.TryParse(digits, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out value):
                break;
            default:
                return false;
        }

        if (value <= 0 || double.IsNaN(value) || double.IsInfinity(value))
        {
            return false;
        }

        var milliseconds = value > MillisecondsThreshold ? value : value * 1000;
        if (milliseconds > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            return false;
        }

        time = DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(milliseconds));
        return true;
    }
}
